import { inflateRawSync } from 'node:zlib'
import * as XLSX from '@e965/xlsx'
import { describe, expect, it } from 'vitest'
import { columnLetters } from './sheetXml.js'
import { writeXlsxBook, type XlsxBookInput } from './writeXlsx.js'
import { readZipDirectory } from './zipGuard.js'

/** CRC-32, bit by bit: independent of the writer's table-driven, chunk-continued one. */
function crcOf(data: Uint8Array): number {
  let c = ~0
  for (const b of data) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

/**
 * The parts of a zip, inflated with Node's zlib (a reader independent of the writer's
 * `CompressionStream`), by name; each part's size and CRC checked against its directory entry.
 */
function unzip(bytes: Uint8Array): Map<string, string> {
  const dir = readZipDirectory(bytes)
  if ('ok' in dir) throw new Error(dir.ok ? 'ok' : dir.reason)
  const out = new Map<string, string>()
  for (const e of dir.entries) {
    const raw = bytes.subarray(e.dataStart, e.dataStart + e.compressed)
    const data = e.method === 0 ? raw : inflateRawSync(raw)
    expect(data.length, e.name).toBe(e.size)
    expect(crcOf(data), e.name).toBe(e.crc)
    out.set(e.name, new TextDecoder().decode(data))
  }
  return out
}

/**
 * What the export wrote before the rows were written from columns: SheetJS's `write` of every
 * cell, the header frozen by the same pane. The reference the new writer must equal part by part.
 */
function sheetjsWrite(input: XlsxBookInput): Map<string, string> {
  const book = XLSX.utils.book_new()
  book.Props = { Title: input.title || 'Taizhang' }
  const top = input.titleRow ? 1 : 0
  for (const sheet of input.sheets) {
    const data: (XLSX.CellObject | undefined)[][] = []
    if (input.titleRow)
      data.push([{ t: 's', v: input.title ? `${input.title} · ${sheet.name}` : sheet.name }])
    data.push(sheet.header.map((h) => ({ t: 's', v: h })))
    for (const r of sheet.rows) data.push(r)
    const n = sheet.header.length
    const last = XLSX.utils.encode_col(Math.max(0, n - 1))
    const ws = { '!data': data } as XLSX.WorkSheet
    ws['!ref'] = `A1:${last}${top + 1 + sheet.rows.length}`
    ws['!cols'] = sheet.widths.map((wpx) => ({ wpx }))
    if (n > 0) ws['!autofilter'] = { ref: `A${top + 1}:${last}${top + 1 + sheet.rows.length}` }
    if (input.titleRow && n > 1) ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: n - 1 } }]
    XLSX.utils.book_append_sheet(book, ws, sheet.name)
  }
  const parts = unzip(
    new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: false })),
  )
  const header = top + 1
  for (const [name, xml] of parts)
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name))
      parts.set(
        name,
        xml.replace(
          '<sheetView workbookViewId="0"/>',
          `<sheetView workbookViewId="0"><pane ySplit="${header}" topLeftCell="A${header + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>`,
        ),
      )
  return parts
}

const n = (v: number, z?: string): XLSX.CellObject => (z ? { t: 'n', v, z } : { t: 'n', v })
const s = (v: string): XLSX.CellObject => ({ t: 's', v })
const b = (v: boolean): XLSX.CellObject => ({ t: 'b', v })

describe('XLSX4 the export writer (rows from compact columns)', () => {
  it('XLSX4 writes every part as SheetJS writes it: texts to escape, formats across sheets, odd numbers', async () => {
    const tricky = [
      'a & b <c> "d" \'e\'',
      '  leading',
      'trailing ',
      'two\nlines',
      '全角\u3000空格\u3000',
      'ctl\u0001\u001f\r',
      '=SUM(A1:A2)',
      '',
      '社工站',
    ]
    const input: XlsxBookInput = {
      title: '杨浦区 & 台账',
      titleRow: true,
      sheets: [
        {
          name: '月报',
          header: ['站点', '人次', '覆盖率', '日期', '示范', '资金'],
          widths: [120, 80, 80, 100, 60, 90],
          rows: [
            ...tricky.map((t, i) => [
              s(t),
              n(i * 1000 + 0.5, '#,##0'),
              i % 3 ? n(i / 7, '0.0%') : undefined,
              n(45000 + i, 'yyyy-mm-dd'),
              b(i % 2 === 0),
              n(
                i === 2 ? Number.NaN : i === 3 ? Number.POSITIVE_INFINITY : -i * 1e-7,
                '0.00"万元"',
              ),
            ]),
            [undefined, undefined, undefined, undefined, undefined, undefined],
            [n(1e21), n(-0, 'General'), s('末行'), undefined, b(true), n(0.1 + 0.2)],
          ],
        },
        { name: '空表', header: ['甲', '乙'], widths: [100, 100], rows: [] },
        {
          name: '汇总',
          header: ['区', '合计'],
          widths: [100, 100],
          rows: [
            [s('浦东'), n(12.5, '#,##0.00"元"')],
            [s('合计'), n(3, '0%')],
          ],
        },
      ],
    }
    const ours = unzip((await writeXlsxBook(input)).bytes)
    const ref = sheetjsWrite(input)
    expect([...ours.keys()]).toEqual([...ref.keys()])
    for (const [name, xml] of ref) expect(ours.get(name), name).toBe(xml)
    // The reference did write the cases above (not an empty book compared with itself).
    const sheet1 = ref.get('xl/worksheets/sheet1.xml')!
    expect(sheet1).toContain('<row r="6" xml:space="preserve">')
    expect(sheet1).toContain('_x0001_')
    expect(sheet1).toContain('#DIV/0!')
    expect(ref.get('xl/styles.xml')).toContain('0.00&quot;万元&quot;')
  })

  it('XLSX4 a book without a title row and a sheet without columns', async () => {
    const input: XlsxBookInput = {
      title: '',
      titleRow: false,
      sheets: [
        { name: 'A', header: [], widths: [], rows: [] },
        { name: 'B', header: ['x'], widths: [64], rows: [[n(1, '0.0%')], [s('y')]] },
      ],
    }
    const ours = unzip((await writeXlsxBook(input)).bytes)
    for (const [name, xml] of sheetjsWrite(input)) expect(ours.get(name), name).toBe(xml)
  })

  it('XLSX4 column letters past Z', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16383].map(columnLetters)).toEqual(
      [0, 25, 26, 51, 52, 701, 702, 16383].map((c) => XLSX.utils.encode_col(c)),
    )
  })
})
