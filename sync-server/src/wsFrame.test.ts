import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { frameBinary } from './wsFrame.js'

const require = createRequire(import.meta.url)
const Sender = require(join(dirname(require.resolve('ws/package.json')), 'lib/sender.js')) as {
  frame(data: Buffer, options: Record<string, unknown>): Buffer[]
}

describe('frameBinary', () => {
  // The three header lengths of RFC 6455 (7-bit, 16-bit and 64-bit payload length), at their edges.
  for (const n of [0, 1, 125, 126, 65535, 65536, 300_000]) {
    it(`frames ${n} bytes exactly as ws frames a binary message from a server`, () => {
      const payload = new Uint8Array(n)
      for (let i = 0; i < n; i++) payload[i] = (i * 31) & 255
      const ours = frameBinary(payload)
      const theirs = Buffer.concat(
        Sender.frame(Buffer.from(payload), {
          fin: true,
          opcode: 2,
          mask: false,
          readOnly: false,
          rsv1: false,
        }),
      )
      expect(ours.payload).toBe(payload)
      expect(Buffer.compare(ours.frame, theirs)).toBe(0)
    })
  }
})
