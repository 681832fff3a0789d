import { describe, expect, it } from 'vitest'
import { parseTsv, writeTsv } from './tsv'

describe('TSV clipboard format', () => {
  it('parses Excel rows with CRLF and a trailing newline', () => {
    expect(parseTsv('a\tb\tc\r\n1\t2\t3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ])
  })
  it('keeps quoted tabs, newlines and doubled quotes', () => {
    expect(parseTsv('"x\ty"\t"line1\nline2"\t"say ""hi"""\n')).toEqual([
      ['x\ty', 'line1\nline2', 'say "hi"'],
    ])
  })
  it('keeps empty cells', () => {
    expect(parseTsv('\t\tz')).toEqual([['', '', 'z']])
  })
  it('round-trips', () => {
    const rows = [
      ['社工站', '1,197', '63.7%'],
      ['a"b', 'c\td', 'e\nf'],
    ]
    expect(parseTsv(writeTsv(rows))).toEqual(rows)
  })
})
