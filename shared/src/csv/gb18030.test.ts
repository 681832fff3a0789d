import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeGb18030 } from './gb18030.js'

const decode = (b: Uint8Array) => new TextDecoder('gb18030').decode(b)

describe('CSV11 GB18030 encoder', () => {
  it('CSV11 encodes two- and four-byte characters as GB18030 defines them', () => {
    expect([...encodeGb18030('站')]).toEqual([0xd5, 0xbe])
    expect([...encodeGb18030('€')]).toEqual([0xa2, 0xe3])
    // U+3400 㐀 and U+20000 𠀀 are four-byte characters (a gbk decoder loses them).
    expect([...encodeGb18030('㐀')]).toEqual([0x81, 0x39, 0xee, 0x39])
    expect([...encodeGb18030('𠀀')]).toEqual([0x95, 0x32, 0x82, 0x36])
    expect([...encodeGb18030('a,1\r\n')]).toEqual([0x61, 0x2c, 0x31, 0x0d, 0x0a])
  })
  it('CSV11 is the inverse of the platform decoder for every encodable BMP character', () => {
    let s = ''
    for (let c = 0x80; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) s += String.fromCharCode(c)
    const stats = { unmappable: 0 }
    const back = decode(encodeGb18030(s, stats))
    let diff = 0
    for (let i = 0; i < s.length; i++) if (back[i] !== s[i]) diff++
    // Only the private-use code points GB18030-2022 stopped mapping come back as `?`.
    expect(diff).toBe(stats.unmappable)
    expect(stats.unmappable).toBeLessThan(30)
  })
  it('CSV11 round-trips random text including astral characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const clean = s.replace(/[\uE000-\uF8FF]/g, '')
        expect(decode(encodeGb18030(clean))).toBe(clean)
      }),
    )
  })
  it('CSV11 lone surrogates become ? and are counted', () => {
    const stats = { unmappable: 0 }
    expect(decode(encodeGb18030('a\uD800b', stats))).toBe('a?b')
    expect(stats.unmappable).toBe(1)
  })
})
