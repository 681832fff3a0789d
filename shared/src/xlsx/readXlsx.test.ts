import * as XLSX from '@e965/xlsx'
import { describe, expect, it } from 'vitest'
import { planImport } from '../csv/importPlan.js'
import type { CsvRefusal } from '../csv/issues.js'
import { suggestMapping } from '../csv/mapping.js'
import { describeRefusal } from '../csv/messages.js'
import { MAX_XLSX_BYTES, MAX_XLSX_ENTRIES } from './limits.js'
import { openXlsx, type XlsxBook } from './readXlsx.js'
import { readWorksheet } from './sheetTable.js'
import { bureauTemplate, dateSerials, SERIALS_1900, SERIALS_1904 } from './test/fixtures.js'
import { minimalWorkbookParts, writeZip } from './test/zipBytes.js'

async function open(bytes: Uint8Array): Promise<XlsxBook> {
  const r = await openXlsx(bytes)
  if (!r.ok) throw new Error(describeRefusal(r.refusal, 'en'))
  return r.book
}

async function refusal(bytes: Uint8Array): Promise<CsvRefusal> {
  const r = await openXlsx(bytes)
  if (r.ok) throw new Error('expected a refusal')
  return r.refusal
}

describe('XLSX1 reading a bureau template', () => {
  it('XLSX1 skips the title row, flattens the merged header, leaves out 合计, types the columns', async () => {
    const book = await open(await bureauTemplate())
    expect(book.worksheets.map((w) => w.name)).toEqual(['2024年服务台账', '志愿者'])
    const r = readWorksheet(book, '2024年服务台账')
    if (!r.ok) throw new Error('read')
    const { table, notes } = r
    expect(table.header).toEqual([
      '站点名称',
      '街道',
      '2024年 · 1月',
      '2024年 · 2月',
      '2024年 · 3月',
      '覆盖率',
      '投入资金',
      '建站日期',
    ])
    expect(notes.title).toBe('XX区社工站服务台账（2024年）')
    expect(notes.titleRows).toEqual([1])
    expect(notes.headerRows).toEqual([2, 3])
    expect(notes.totals).toEqual({ line: 8, label: '合计', included: false })
    expect(table.lines).toEqual([4, 5, 6, 7]) // Excel's row numbers, for messages
    expect(notes.formulas).toEqual({
      count: 1,
      examples: [{ line: 7, column: '2024年 · 3月', formula: '=C7+3' }],
    })
    expect(notes.hiddenRows).toEqual({ count: 1, lines: [7] })
    expect(notes.hiddenColumns).toEqual(['2024年 · 2月'])
    expect(notes.mergedBody).toEqual({ count: 1, filled: true })

    const mapping = suggestMapping(table, [])
    expect(
      mapping.map((m) =>
        m.target.kind === 'new' ? [m.target.type, m.target.format?.unit ?? ''] : [],
      ),
    ).toEqual([
      ['text', ''],
      ['text', ''],
      ['integer', ''],
      ['integer', ''],
      ['integer', ''],
      ['percent', ''],
      ['money', '万元'],
      ['date', ''],
    ])
    const plan = planImport(table, mapping, undefined, { mode: 'append' })
    if (!plan.ok) throw new Error('plan')
    expect(plan.plan.misfits).toEqual([])
    const rows = Array.from({ length: plan.plan.adds.count }, (_, i) =>
      plan.plan.adds.columns.map((c) =>
        c.kind === 'dict'
          ? c.values[c.codes[i]!]
          : c.kind === 'numbers'
            ? c.values[i]
            : c.values[i],
      ),
    )
    expect(rows).toEqual([
      ['殷行街道社工站', '殷行街道', 120, 98, 143, 0.637, 276, '2021-05-24'],
      ['朝歌街道社工站', '朝歌街道', 45, 51, 60, 1, 94, '2022-01-01'],
      // Rich text flattened; the cached value of the formula C7+3 (20) is in row 7's 3月.
      ['桥盟街道社工站', '桥盟街道', 30, 0, 28, 0.5, 10.5, '2020-02-29'],
      // 街道 merged over rows 6–7: filled by default.
      ['灵山街道社工站', '桥盟街道', 17, 48, 20, 0.25, 153, '2023-12-31'],
    ])
  })

  it('XLSX1 the 合计 row on request; merged body cells left empty on request', async () => {
    const book = await open(await bureauTemplate())
    const r = readWorksheet(book, '2024年服务台账', { includeTotals: true, fillMerged: false })
    if (!r.ok) throw new Error('read')
    expect(r.notes.totals?.included).toBe(true)
    expect(r.table.lines).toEqual([4, 5, 6, 7, 8])
    expect(r.table.rows[4]!.slice(0, 3)).toEqual(['合计', '', '212'])
    expect(r.table.rows[3]![1]).toBe('')
  })

  it('XLSX1 several worksheets: the second reads on its own, booleans and no-data markers kept', async () => {
    const book = await open(await bureauTemplate())
    const r = readWorksheet(book, '志愿者')
    if (!r.ok) throw new Error('read')
    expect(r.table.header).toEqual(['姓名', '服务时长', '在册'])
    expect(r.table.rows).toEqual([
      ['张三', '12.5', '是'],
      ['李四', '—', '否'],
    ])
    const plan = planImport(r.table, suggestMapping(r.table, []), undefined, { mode: 'append' })
    expect(plan.ok && plan.plan.noData.count).toBe(1)
  })

  it('XLSX2 dates: the 1900 system with its leap-year bug, and the 1904 system', async () => {
    for (const [date1904, cases] of [
      [false, SERIALS_1900],
      [true, SERIALS_1904],
    ] as const) {
      const book = await open(await dateSerials(date1904))
      expect(book.date1904).toBe(date1904)
      const r = readWorksheet(book, '日期')
      if (!r.ok) throw new Error('read')
      expect(r.table.rows.map((row) => row[1])).toEqual(cases.map(([, iso]) => iso))
    }
    // Serial 60 is Excel's nonexistent 1900-02-29: a date column flags it instead of inventing a day.
    const book = await open(await dateSerials(false))
    const r = readWorksheet(book, '日期')
    if (!r.ok) throw new Error('read')
    const plan = planImport(
      r.table,
      [{ source: 1, target: { kind: 'new', name: '日期', type: 'date' } }],
      undefined,
      { mode: 'append' },
    )
    expect(plan.ok && plan.plan.misfits.map((m) => m.examples.map((e) => e.input))).toEqual([
      ['1900-02-29'],
    ])
  })

  it('XLSX1 an unknown worksheet is refused in both languages', async () => {
    const book = await open(await bureauTemplate())
    const r = readWorksheet(book, '不存在')
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(describeRefusal(r.refusal, 'zh')).toContain('不存在')
    expect(describeRefusal(r.refusal, 'en')).toContain('no worksheet')
  })
})

describe('XLSX3 hostile files are refused before anything is inflated or written', () => {
  it('XLSX3 a password-protected workbook: 文件已加密', async () => {
    // An encrypted .xlsx is an OLE file with EncryptionInfo and EncryptedPackage streams.
    const cfb = XLSX.CFB.utils.cfb_new()
    XLSX.CFB.utils.cfb_add(cfb, 'EncryptionInfo', new Uint8Array(64).fill(4))
    XLSX.CFB.utils.cfb_add(cfb, 'EncryptedPackage', new Uint8Array(4096).fill(7))
    const bytes = new Uint8Array(XLSX.CFB.write(cfb, { type: 'array' }) as ArrayLike<number>)
    const r = await refusal(bytes)
    expect(r).toEqual({ kind: 'xlsx', reason: 'encrypted' })
    expect(describeRefusal(r, 'zh')).toContain('文件已加密')
    expect(describeRefusal(r, 'en')).toContain('encrypted')
  })

  it('XLSX3 a legacy .xls (BIFF) is refused with how to save as .xlsx', async () => {
    const wb = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['a'], [1]]), 'S')
    const xls = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'biff8' }) as ArrayBuffer)
    const r = await refusal(xls)
    expect(r).toEqual({ kind: 'xlsx', reason: 'legacy' })
    expect(describeRefusal(r, 'zh')).toContain('另存为')
    expect(describeRefusal(r, 'en')).toContain('Save As')
  })

  it('XLSX3 zip bombs: too many entries, too many declared bytes, sizes that lie', async () => {
    const many = writeZip([
      ...minimalWorkbookParts(),
      ...Array.from({ length: MAX_XLSX_ENTRIES }, (_, i) => ({
        name: `x/${i}`,
        data: 'a',
        stored: true,
      })),
    ])
    expect(await refusal(many)).toMatchObject({ kind: 'xlsx', reason: 'zip-bomb' })
    const declared = writeZip([
      ...minimalWorkbookParts(),
      ...Array.from({ length: 6 }, (_, i) => ({
        name: `xl/media/${i}.bin`,
        data: 'tiny',
        declaredSize: 200 * 1024 * 1024,
      })),
    ])
    expect(await refusal(declared)).toMatchObject({ kind: 'xlsx', reason: 'zip-bomb' })
    // 64 MiB of zeros deflate to ~64 KB and declare 100 bytes: stopped as soon as it passes 100.
    const lying = writeZip([
      ...minimalWorkbookParts(),
      {
        name: 'xl/worksheets/sheet1.xml',
        data: new Uint8Array(64 * 1024 * 1024),
        declaredSize: 100,
      },
    ])
    const r = await refusal(lying)
    expect(r).toMatchObject({ kind: 'xlsx', reason: 'zip-bomb' })
    expect(describeRefusal(r, 'zh')).toContain('没有写入任何数据')
  })

  it('XLSX3 XML entity expansion (billion laughs) is refused', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="&lol2;" sheetId="1"/></sheets></workbook>'
    const r = await refusal(writeZip(minimalWorkbookParts(laughs)))
    expect(r).toEqual({ kind: 'xlsx', reason: 'entities' })
    expect(describeRefusal(r, 'en')).toContain('entit')
  })

  it('XLSX3 a corrupt zip, a zip that is no workbook, a non-spreadsheet, an empty and an oversized file', async () => {
    const good = await bureauTemplate()
    expect(await refusal(good.subarray(0, good.length - 200))).toMatchObject({
      kind: 'xlsx',
      reason: 'corrupt',
    })
    // Flip bytes inside the first entry's deflate data: the inflater fails.
    const flipped = good.slice()
    for (let i = 200; i < 260; i++) flipped[i] = flipped[i]! ^ 0x5a
    expect(await refusal(flipped)).toMatchObject({ kind: 'xlsx' })
    expect(await refusal(writeZip([{ name: 'word/document.xml', data: '<w/>' }]))).toEqual({
      kind: 'xlsx',
      reason: 'not-spreadsheet',
    })
    expect(await refusal(new TextEncoder().encode('站点名称,服务人次\n甲,1\n'))).toEqual({
      kind: 'xlsx',
      reason: 'not-spreadsheet',
    })
    expect(await refusal(new Uint8Array(0))).toEqual({ kind: 'empty' })
    const big = await refusal(new Uint8Array(MAX_XLSX_BYTES + 1))
    expect(big).toEqual({ kind: 'too-large', bytes: MAX_XLSX_BYTES + 1, limit: MAX_XLSX_BYTES })
  })
})
