/**
 * patches/lib0@0.2.120.patch encodes and decodes short strings in JavaScript instead of one
 * TextEncoder/TextDecoder call each (about a microsecond a call in Chromium, which dominated
 * encoding and applying 100,000-row Yjs updates). These properties hold it to the platform codecs:
 * the same bytes for every string (lone surrogates included), the same string or the same error
 * for every byte sequence.
 */
import fc from 'fast-check'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }),
  fc.constantFrom(0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfeff),
)
const jsString = fc.array(unit, { maxLength: 80 }).map((units) => String.fromCharCode(...units))

/** Bytes near UTF-8's edges: ASCII, lead and continuation bytes, overlongs, surrogates. */
const utf8ish = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(0x41, 0xc2, 0xa9, 0xe4, 0xb8, 0x80, 0xf0, 0x9f, 0x98, 0xed, 0xa0, 0xe0, 0xf4),
  ),
  { maxLength: 80 },
)

describe('lib0 string codec (patched)', () => {
  it('is the patched codec', () => {
    expect(String(encoding._writeVarStringNative)).toContain('Taizhang')
    expect(String(decoding._readVarStringNative)).toContain('Taizhang')
  })

  it('writes the bytes TextEncoder writes and reads them back', () => {
    fc.assert(
      fc.property(jsString, (s) => {
        const e = encoding.createEncoder()
        encoding.writeVarString(e, s)
        encoding.writeUint8(e, 7)
        const d = decoding.createDecoder(encoding.toUint8Array(e))
        const bytes = decoding.readVarUint8Array(d)
        expect([...bytes]).toEqual([...encoder.encode(s)])
        expect(decoding.readUint8(d)).toBe(7)
        const again = decoding.createDecoder(encoding.toUint8Array(e))
        // Lone surrogates come back as U+FFFD, as through the platform codecs.
        expect(decoding.readVarString(again)).toBe(decoder.decode(bytes))
        expect(decoding.readUint8(again)).toBe(7)
      }),
      { numRuns: 5000 },
    )
  })

  it('reads any bytes as TextDecoder does, errors included', () => {
    fc.assert(
      fc.property(utf8ish, (raw) => {
        const bytes = Uint8Array.from(raw)
        const e = encoding.createEncoder()
        encoding.writeVarUint8Array(e, bytes)
        encoding.writeUint8(e, 7)
        const d = decoding.createDecoder(encoding.toUint8Array(e))
        let expected: string | Error
        try {
          expected = decoder.decode(bytes)
        } catch (err) {
          expected = err as Error
        }
        if (expected instanceof Error) expect(() => decoding.readVarString(d)).toThrow(TypeError)
        else {
          expect(decoding.readVarString(d)).toBe(expected)
          expect(decoding.readUint8(d)).toBe(7)
        }
      }),
      { numRuns: 5000 },
    )
  })
})
