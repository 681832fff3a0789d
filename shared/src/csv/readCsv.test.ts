import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeGb18030 } from './gb18030.js'
import { parseCsvText } from './parseCsv.js'
import { bytesSource, readCsvSource } from './readCsv.js'
import { writeCsvText } from './writeCsv.js'

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2)
  out[0] = 0xff
  out[1] = 0xfe
  for (let i = 0; i < s.length; i++) {
    out[2 + 2 * i] = s.charCodeAt(i) & 0xff
    out[3 + 2 * i] = s.charCodeAt(i) >> 8
  }
  return out
}

const cell = fc.string({
  unit: fc.constantFrom('a', '1', '站', '點', '𠀀', '㐀', 'é', ' ', ',', '"', '\n', '—', '%'),
  maxLength: 8,
})

describe('CSV2 streaming decode', () => {
  it('CSV2 any chunk size gives the same table as parsing the whole text (UTF-8, UTF-16 LE, GB18030)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('utf-8', 'utf-16le', 'gb18030'),
        async (rows, chunkBytes, encoding) => {
          const text = writeCsvText(['名称', '说明', 'x'], rows)
          const bytes =
            encoding === 'utf-8'
              ? new TextEncoder().encode(text)
              : encoding === 'gb18030'
                ? encodeGb18030(text)
                : utf16le(text)
          const whole = parseCsvText(text, { delimiter: ',', header: true })
          const streamed = await readCsvSource(
            bytesSource(bytes),
            { delimiter: ',', header: true, encoding },
            { chunkBytes },
          )
          expect(streamed.ok).toBe(whole.ok)
          if (streamed.ok && whole.ok) {
            expect(streamed.table.rows).toEqual(whole.table.rows)
            expect(streamed.table.lines).toEqual(whole.table.lines)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
