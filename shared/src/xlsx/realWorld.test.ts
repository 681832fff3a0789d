import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { suggestMapping } from '../csv/mapping.js'
import { describeRefusal } from '../csv/messages.js'
import { openXlsx, type XlsxBook } from './readXlsx.js'
import { readWorksheet } from './sheetTable.js'
import { streamEntryText, zipIndex } from './xmlParts.js'

/**
 * Files really saved by Microsoft Excel (Windows 2013, Mac 2011 and Mac 2019) and by WPS
 * Spreadsheets (issue #15 §1: "files from WPS and from both Excel date systems import right"),
 * from SheetJS's public test-file collection under the Apache License 2.0:
 * `test/fixtures/xlsx/real-world/README.md` names each one's source and licence.
 */
const DIR = join(import.meta.dirname, '../../../test/fixtures/xlsx/real-world')
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)))

async function open(name: string): Promise<XlsxBook> {
  const r = await openXlsx(bytesOf(name))
  if (!r.ok) throw new Error(describeRefusal(r.refusal, 'en'))
  return r.book
}

/** The program that saved the file, as its `docProps/app.xml` says. */
async function savedBy(name: string): Promise<string> {
  const zip = zipIndex(bytesOf(name))
  if ('ok' in zip) throw new Error('not a zip')
  let xml = ''
  await streamEntryText(zip, 'docProps/app.xml', (t) => {
    xml += t
  })
  return /<Application>([^<]*)<\/Application>/.exec(xml)?.[1] ?? ''
}

function table(book: XlsxBook, name: string, options = {}) {
  const r = readWorksheet(book, name, options)
  if (!r.ok) throw new Error(describeRefusal(r.refusal, 'en'))
  return r
}

describe('XLSX1 files saved by Excel and WPS', () => {
  it.each([
    ['excel-mac-1900.xlsx', false],
    ['excel-mac-1904.xlsx', true],
  ])('XLSX1 %s: dates as Excel itself shows them (date1904 %s)', async (name, date1904) => {
    expect(await savedBy(name)).toBe('Microsoft Macintosh Excel')
    const book = await open(name)
    // Excel 365 also writes `<x15:workbookPr …/>` in the workbook's extLst, without date1904:
    // it used to overwrite the real one, reading every 1904 date four years early.
    expect(book.date1904).toBe(date1904)
    const r = table(book, 'Sheet1')
    // Column B: date serials 1, 11, 111, 1111, 11111 with a date format. Column C: Excel's own
    // =TEXT(B, "YYYY-MM-DD") and D: =T(C), cached as Excel computed them when it saved.
    const all = [r.table.rawHeader, ...r.table.rows]
    expect(all.map((row) => row[0])).toEqual(['1', '11', '111', '1111', '11111'])
    for (const row of all) {
      expect(row[1]).toMatch(/^\d{4}-\d\d-\d\d$/)
      expect(row[1]).toBe(row[2])
      expect(row[2]).toBe(row[3])
    }
    // Serial 111 lies past the fake 1900-02-29 in the 1900 system.
    expect(all[2]![1]).toBe(date1904 ? '1904-04-21' : '1900-04-20')
    // The cached formula values are imported, with a note; C2:C5 is one shared formula, shown as
    // each cell holds it.
    expect(r.notes.formulas.count).toBe(8)
    expect(r.notes.formulas.examples.slice(0, 4).map((f) => [f.line, f.formula])).toEqual([
      [2, '=TEXT(B2,"YYYY-MM-DD")'],
      [2, '=T(C2)'],
      [3, '=TEXT(B3,"YYYY-MM-DD")'],
      [3, '=T(C3)'],
    ])
    // The body column of dates types as dates.
    const mapping = suggestMapping(r.table, [])
    expect(mapping[1]!.target).toMatchObject({ kind: 'new', type: 'date' })
  })

  it('XLSX1 Excel for Mac 2011: a header merged over two rows, merged body cells', async () => {
    const name = 'excel-mac-2011-merge-cells.xlsx'
    expect(await savedBy(name)).toBe('Microsoft Macintosh Excel')
    const book = await open(name)
    const filled = table(book, 'Merge')
    expect(filled.notes.headerRows).toEqual([1, 2])
    expect(filled.table.header).toEqual(['A1:B2', 'A1:B2 (2)', 'C1:C2', 'Separate blocks'])
    expect(filled.notes.mergedBody).toEqual({ count: 2, filled: true })
    expect(filled.table.rows).toEqual([
      ['A3:B3', 'A3:B3', 'C3', ''],
      ['… are merged separately', '… are merged separately', '', ''],
    ])
    const left = table(book, 'Merge', { fillMerged: false })
    expect(left.table.rows).toEqual([
      ['A3:B3', '', 'C3', ''],
      ['… are merged separately', '', '', ''],
    ])
  })

  it('XLSX1 Excel 2013 (Windows): hidden and very hidden worksheets, formula values', async () => {
    const name = 'excel-2013-sheet-visibility.xlsx'
    expect(await savedBy(name)).toBe('Microsoft Excel')
    const book = await open(name)
    expect(book.worksheets.map((w) => [w.name, w.hidden])).toEqual([
      ['Visible', false],
      ['Hidden', true],
      ['VeryHidden', true],
    ])
    // Row 2 holds =CODE(A1) …: the character codes of the header row, as Excel computed them.
    for (const w of book.worksheets) {
      const r = table(book, w.name)
      expect(r.table.rows).toHaveLength(1)
      expect(r.table.rows[0]!.map(Number)).toEqual(r.table.rawHeader.map((h) => h.charCodeAt(0)))
      expect(r.notes.formulas.count).toBe(r.table.rawHeader.length)
    }
  })

  it('XLSX1 WPS Spreadsheets: a WPS-only function, an Excel 2016 one, both as their cached values', async () => {
    const name = 'wps-functions.xlsx'
    expect(await savedBy(name)).toBe('WPS Spreadsheets')
    const r = table(await open(name), 'Sheet1')
    expect(r.table.header).toEqual(['Name', 'Example', 'Result'])
    expect(r.table.rows).toEqual([
      ['EVALUATE', '=EVALUATE("1+1")', '2'],
      ['FIELDVALUE', '=FIELDVALUE(A2,"Result")', '#VALUE!'],
    ])
    // The note shows the formulas as Excel does: without the file's `_xlfn.` prefix.
    expect(r.notes.formulas.examples.map((f) => f.formula)).toEqual([
      '=EVALUATE("1+1")',
      '=FIELDVALUE(A2,"Formula")',
    ])
  })

  it('XLSX1 a WPS .et file is refused with how to save it as .xlsx, in both languages', async () => {
    const r = await openXlsx(bytesOf('wps-write.et'))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.refusal).toEqual({ kind: 'xlsx', reason: 'legacy' })
    expect(describeRefusal(r.refusal, 'zh')).toContain('.xlsx')
    expect(describeRefusal(r.refusal, 'zh')).toMatch(/WPS/)
    expect(describeRefusal(r.refusal, 'en')).toContain('Save As')
  })

  it('XLSX1 WPS Spreadsheets: numbers, booleans, shared strings, a date', async () => {
    const name = 'wps-write.xlsx'
    expect(await savedBy(name)).toBe('WPS Spreadsheets')
    const book = await open(name)
    expect(book.date1904).toBe(false)
    const r = table(book, 'Sheet1')
    expect(r.table.rawHeader).toEqual(['1', '2', '3', ''])
    expect(r.table.rows).toEqual([
      ['是', '否', '', 'sheetjs'],
      ['foo', 'bar', '2014-02-19', '0.3'],
      ['baz', '', 'qux', ''],
    ])
  })
})
