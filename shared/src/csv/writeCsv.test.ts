import fc from 'fast-check'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import type { CellValue, ColumnType } from '../schema/columnTypes.js'
import { exportSheetCsv, exportSheetRows, exportSheetText } from './exportSheet.js'
import {
  CsvByteWriter,
  CsvTextBuilder,
  csvField,
  encodeCsvText,
  QUOTE_OTHER_DELIMITERS,
  writeCsvText,
} from './writeCsv.js'

/** What papaparse's unparse writes with the same quoting rule (the writer's oracle). */
function viaPapaparse(header: readonly string[], rows: readonly (readonly string[])[]): string {
  let text = Papa.unparse(
    { fields: header as string[], data: rows as string[][] },
    {
      newline: '\r\n',
      quotes: (v: unknown) => QUOTE_OTHER_DELIMITERS.test(String(v)),
      escapeFormulae: false,
      header: true,
    },
  )
  if (/^ID/.test(text))
    text = '"' + (header[0] ?? '').replace(/"/g, '""') + '"' + text.slice(header[0]?.length ?? 0)
  return text + '\r\n'
}

const cell = fc.string({
  unit: fc.constantFrom(
    'a',
    '站',
    '𠀀',
    ' ',
    ',',
    '"',
    '\n',
    '\r',
    '\uFEFF',
    ';',
    '\t',
    'I',
    'D',
    '=',
  ),
  maxLength: 6,
})

describe('CSV8 writer', () => {
  it('CSV8 writes what papaparse unparse wrote, corner cases included', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 4 }),
        fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 5 }),
        (header, rows) => {
          expect(writeCsvText(header, rows)).toBe(viaPapaparse(header, rows))
        },
      ),
      { numRuns: 3000 },
    )
    for (const [h, r] of [
      [['ID', 'x'], [['1', '2']]],
      [['ID"', 'x'], []],
      [['a'], []],
      [[], []],
      [[], [[], []]],
      [
        ['a', 'b'],
        [[], ['1']],
      ],
    ] as [string[], string[][]][])
      expect(writeCsvText(h, r)).toBe(viaPapaparse(h, r))
  })

  it('CSV8 the line builder writes what writeCsvText writes', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 4 }),
        fc.nat(5),
        fc.array(cell, { maxLength: 30 }),
        (header, n, cells) => {
          const rows = Array.from({ length: n }, (_, r) =>
            header.map((_h, c) => cells[(r * header.length + c) % Math.max(1, cells.length)] ?? ''),
          )
          const b = new CsvTextBuilder(header)
          for (const row of rows) b.addLine(row.map(csvField).join(','))
          expect(b.finish()).toBe(writeCsvText(header, rows))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('CSV8 exportSheetText is writeCsvText of exportSheetRows', () => {
    const types: ColumnType[] = ['text', 'number', 'integer', 'percent', 'money', 'date', 'boolean']
    const value: Record<string, fc.Arbitrary<CellValue>> = {
      text: cell,
      number: fc.double({ noNaN: true, noDefaultInfinity: true }),
      integer: fc.integer(),
      percent: fc.double({ min: -10, max: 10, noNaN: true }),
      money: fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      date: fc.constantFrom('2024-05-24', '1999-12-31'),
      boolean: fc.boolean(),
    }
    fc.assert(
      fc.property(
        fc.array(fc.tuple(...types.map((t) => fc.option(value[t]!, { nil: null }))), {
          maxLength: 6,
        }),
        fc.constantFrom<'percent' | 'number'>('percent', 'number'),
        (rows, percentStyle) => {
          const wb = Workbook.create(new Y.Doc(), { title: 'w' })
          const sheetId = wb.addSheet('s')
          const s = wb.sheet(sheetId)
          const cols = types.map((type, i) =>
            s.addColumn({ name: i === 0 ? 'ID' : type, type, format: { unit: '万元' } }),
          )
          s.insertRows(
            rows.map((r) =>
              Object.fromEntries(r.flatMap((v, i) => (v === null ? [] : [[cols[i]!, v]]))),
            ),
          )
          const table = exportSheetRows(wb, sheetId, { percentStyle })
          expect(exportSheetText(wb, sheetId, { percentStyle }).text).toBe(
            writeCsvText(table.header, table.rows),
          )
        },
      ),
      { numRuns: 300 },
    )
  })

  it('CSV8 text encoded piece by piece is the text encoded at once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '站', '𠀀', '\uE5E5', '\r\n', '"') }), {
          maxLength: 8,
        }),
        fc.constantFrom<'utf-8' | 'gb18030'>('utf-8', 'gb18030'),
        fc.boolean(),
        (pieces, encoding, bom) => {
          const w = new CsvByteWriter({ encoding, bom })
          for (const p of pieces) w.write(p)
          expect(w.finish()).toEqual(encodeCsvText(pieces.join(''), { encoding, bom }))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('CSV8 a large export is encoded in pieces with the same bytes', () => {
    const wb = Workbook.create(new Y.Doc(), { title: 'w' })
    const sheetId = wb.addSheet('s')
    const s = wb.sheet(sheetId)
    const a = s.addColumn({ name: '站点', type: 'text' })
    const b = s.addColumn({ name: '覆盖率', type: 'percent' })
    s.insertRows(
      Array.from({ length: 6000 }, (_, i) => ({ [a]: `站𠀀${i},`.repeat(4), [b]: i / 1000 })),
    )
    const { text } = exportSheetText(wb, sheetId)
    expect(text.length).toBeGreaterThan(3 * 65536)
    for (const encoding of ['utf-8', 'gb18030'] as const) {
      const piecewise = exportSheetCsv(wb, sheetId, { encoding }).bytes
      const atOnce = encodeCsvText(text, { encoding }).bytes
      expect(piecewise.length).toBe(atOnce.length)
      expect(piecewise.every((x, i) => x === atOnce[i])).toBe(true)
    }
  })

  it('CSV8 UTF-8 output starts with one byte-order mark unless told not to', () => {
    expect([...encodeCsvText('a\r\n').bytes]).toEqual([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a])
    expect([...encodeCsvText('a\r\n', { bom: false }).bytes]).toEqual([0x61, 0x0d, 0x0a])
  })
})
