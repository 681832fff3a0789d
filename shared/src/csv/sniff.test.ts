import { describe, expect, it } from 'vitest'
import { sniffBytes } from './sniff.js'

const bytes = (...b: number[]) => Uint8Array.from(b)
const utf8 = (s: string) => new TextEncoder().encode(s)

describe('CSV1 sniffing', () => {
  it('CSV1 empty input is empty, a lone BOM too', () => {
    expect(sniffBytes(bytes(), true)).toEqual({ kind: 'empty' })
    expect(sniffBytes(bytes(0xef, 0xbb, 0xbf), true)).toEqual({ kind: 'empty' })
  })
  it('CSV1 magic numbers are binary: zip, xlsx, xls, png, jpeg, gif, pdf, gzip', () => {
    const cases: [number[], string][] = [
      [[0x50, 0x4b, 0x03, 0x04, 0, 0], 'zip'],
      [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'xls'],
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
      [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
      [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], 'gif'],
      [[0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], 'pdf'],
      [[0x1f, 0x8b, 0x08], 'gzip'],
    ]
    for (const [b, format] of cases)
      expect(sniffBytes(bytes(...b), true)).toEqual({ kind: 'binary', format })
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8('....[Content_Types].xml')])
    expect(sniffBytes(xlsx, true)).toEqual({ kind: 'binary', format: 'xlsx' })
  })
  it('CSV1 NUL bytes without a UTF-16 pattern are binary', () => {
    expect(sniffBytes(bytes(0x61, 0x2c, 0x00, 0x01, 0x02, 0x62, 0x0a, 0x00), true)).toEqual({
      kind: 'binary',
      format: 'nul',
    })
  })
  it('CSV2 BOMs pick UTF-8, UTF-16 LE, UTF-16 BE', () => {
    expect(sniffBytes(bytes(0xef, 0xbb, 0xbf, 0x61), true)).toMatchObject({
      encoding: 'utf-8',
      bomLength: 3,
    })
    expect(sniffBytes(bytes(0xff, 0xfe, 0x61, 0), true)).toMatchObject({
      encoding: 'utf-16le',
      bomLength: 2,
    })
    expect(sniffBytes(bytes(0xfe, 0xff, 0, 0x61), true)).toMatchObject({
      encoding: 'utf-16be',
      bomLength: 2,
    })
  })
  it('CSV2 UTF-16 LE without a BOM is recognised from its NUL pattern', () => {
    const le = Uint8Array.from(Array.from(utf8('a,b\r\n1,2\r\n')).flatMap((c) => [c, 0]))
    expect(sniffBytes(le, true)).toMatchObject({
      kind: 'text',
      encoding: 'utf-16le',
      confident: false,
    })
  })
  it('CSV2 strict UTF-8, else GB18030; a sequence cut at the end of a partial sample is fine', () => {
    const u = utf8('站点名称,服务人次')
    expect(sniffBytes(u, true)).toMatchObject({ encoding: 'utf-8', confident: true })
    expect(sniffBytes(u.subarray(0, 4), false)).toMatchObject({ encoding: 'utf-8' })
    expect(sniffBytes(u.subarray(0, 4), true)).toMatchObject({ encoding: 'gb18030' })
    // 站点 in GBK
    expect(sniffBytes(bytes(0xd5, 0xbe, 0xb5, 0xe3), true)).toMatchObject({ encoding: 'gb18030' })
  })
  it('CSV2 plain ASCII is UTF-8 but not confident (a GB byte may come later)', () => {
    expect(sniffBytes(utf8('a,b\n1,2\n'), false)).toMatchObject({
      encoding: 'utf-8',
      confident: false,
    })
  })
})
