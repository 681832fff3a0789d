import { describe, expect, it } from 'vitest'
import {
  detectDelimiter,
  detectHeader,
  guessNewline,
  parseDelimiterLabel,
  readSepLine,
} from './dialect.js'
import { makeUniqueHeaders } from './headers.js'
import { parseCsvText } from './parseCsv.js'

describe('CSV3 delimiter and header', () => {
  it('CSV3 detects comma, semicolon, tab and pipe', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n', '\n', true)).toBe(',')
    expect(detectDelimiter('a;b;c\n1;2;3\n', '\n', true)).toBe(';')
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n', '\n', true)).toBe('\t')
    expect(detectDelimiter('a|b|c\n1|2|3\n', '\n', true)).toBe('|')
  })
  it('CSV3 semicolons with decimal commas are semicolon-separated', () => {
    expect(detectDelimiter('名称;数值\nA;1,5\nB;2,25\n', '\n', true)).toBe(';')
  })
  it('CSV3 quoted delimiters do not count', () => {
    expect(detectDelimiter('名称;备注\n"甲,乙";"1,2,3"\n"丙";"4"\n', '\n', true)).toBe(';')
  })
  it('CSV3 reads the sep= line and honours it over detection; the user overrides both', () => {
    expect(readSepLine('sep=;\r\na;b')).toEqual({ delimiter: ';', length: 7 })
    expect(readSepLine('SEP=|\n')).toEqual({ delimiter: '|', length: 6 })
    expect(readSepLine('a,b')).toBeUndefined()
    const r = parseCsvText('sep=;\r\na,b;c\r\n1,2;3\r\n')
    expect(r.ok && r.table.delimiterSource).toBe('sep-line')
    expect(r.ok && r.table.header).toEqual(['a,b', 'c'])
    const u = parseCsvText('sep=;\r\na,b;c\r\n1,2;3\r\n', { delimiter: ',' })
    // The sep= line is still metadata, not data, when the user picks another delimiter.
    expect(u.ok && u.table.header).toEqual(['a', 'b;c'])
  })
  it('CSV3 newline guess: CRLF, LF, CR', () => {
    expect(guessNewline('a\r\nb\r\n')).toBe('\r\n')
    expect(guessNewline('a\nb\n')).toBe('\n')
    expect(guessNewline('a\rb\r')).toBe('\r')
  })
  it('CSV3 header detection: labels over numbers, all-text files, numbers-only files, year columns', () => {
    expect(
      detectHeader([
        ['站点', '人次'],
        ['甲', '1,197'],
        ['乙', '5'],
      ]),
    ).toBe(true)
    expect(
      detectHeader([
        ['名称', '地区'],
        ['甲', '杨浦'],
      ]),
    ).toBe(true)
    expect(
      detectHeader([
        ['1', '2'],
        ['3', '4'],
      ]),
    ).toBe(false)
    expect(
      detectHeader([
        ['殷行', '12'],
        ['朝歌', '3'],
      ]),
    ).toBe(false)
    expect(
      detectHeader([
        ['站点', '2023', '2024'],
        ['殷行', '12', '15'],
      ]),
    ).toBe(true)
  })
  it('CSV3 the user can force header on or off', () => {
    const off = parseCsvText('名称,地区\n甲,杨浦\n', { header: false })
    expect(off.ok && off.table.rows).toEqual([
      ['名称', '地区'],
      ['甲', '杨浦'],
    ])
    expect(off.ok && off.table.header).toEqual(['列1', '列2'])
    const on = parseCsvText('1,2\n3,4\n', { header: true })
    expect(on.ok && on.table.header).toEqual(['1', '2'])
  })
  it('CSV3 delimiter labels from the command line', () => {
    expect(parseDelimiterLabel('tab')).toBe('\t')
    expect(parseDelimiterLabel(';')).toBe(';')
    expect(parseDelimiterLabel('x')).toBeUndefined()
  })
})

describe('CSV4 header names', () => {
  it('CSV4 empty and duplicate names are made unique and every change is reported', () => {
    const r = makeUniqueHeaders(['名称', '', '名称', ' 金额 ', '金额', '列2'])
    expect(r.names).toEqual(['名称', '列2 (2)', '名称 (2)', '金额', '金额 (2)', '列2'])
    expect(r.renamed.map((x) => x.index)).toEqual([1, 2, 4])
  })
  it('CSV4 duplicate headers surface as warnings in the parse result', () => {
    const r = parseCsvText('a,a\n1,2\n')
    expect(r.ok && r.table.warnings).toEqual([
      { kind: 'renamed-header', index: 1, from: 'a', to: 'a (2)' },
    ])
  })
})
