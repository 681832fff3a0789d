import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRefusal } from '../csv/messages.js'
import { openXlsx, type XlsxBook } from './readXlsx.js'
import { readWorksheet } from './sheetTable.js'

/**
 * Files saved by another spreadsheet program (issue #15 §1: "files from WPS and Excel import
 * right"). Excel and WPS cannot run here; the closest honest stand-in is LibreOffice Calc 7.4
 * saving through its "Calc MS Excel 2007 XML" filter (the one its Save As calls "Excel
 * 2007-365"): `test/fixtures/xlsx/bureau-template.libreoffice.xlsx` is the exceljs-made bureau
 * template re-saved that way (see generate.ts). Its parts differ from exceljs's in the ways real
 * writers differ: its own style table and format ids (164+), `hidden="true"` instead of `"1"`,
 * escaped literals in date codes (`yyyy\年m\月d\日`), every cell styled, booleans written as
 * formulas. Reading it must give the same tables as reading the original.
 */
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/xlsx')

async function open(name: string): Promise<XlsxBook> {
  const r = await openXlsx(new Uint8Array(readFileSync(join(FIXTURES, name))))
  if (!r.ok) throw new Error(describeRefusal(r.refusal, 'en'))
  return r.book
}

describe('XLSX1 a workbook re-saved by LibreOffice with its Excel 2007-365 filter', () => {
  it('XLSX1 reads the same worksheets, tables and notes as the original', async () => {
    const original = await open('bureau-template.xlsx')
    const saved = await open('bureau-template.libreoffice.xlsx')
    expect(saved.worksheets.map((w) => [w.name, w.hidden])).toEqual(
      original.worksheets.map((w) => [w.name, w.hidden]),
    )
    for (const w of original.worksheets)
      for (const options of [{}, { includeTotals: true, fillMerged: false }]) {
        const a = readWorksheet(original, w.name, options)
        const b = readWorksheet(saved, w.name, options)
        if (!a.ok || !b.ok) throw new Error(`${w.name} unreadable`)
        expect(b.table.header).toEqual(a.table.header)
        expect(b.table.rows).toEqual(a.table.rows)
        expect(b.table.lines).toEqual(a.table.lines)
        // LibreOffice stores a boolean as the formula TRUE() / FALSE() with its value: the values
        // are the same, the note counts them as formulas (what the file says).
        const { formulas, ...rest } = b.notes
        const { formulas: aFormulas, ...aRest } = a.notes
        expect(rest).toEqual(aRest)
        expect(formulas.examples.filter((f) => !/^=(TRUE|FALSE)\(\)$/.test(f.formula))).toEqual(
          aFormulas.examples,
        )
        expect(a.table.rowCount).toBeGreaterThan(1)
      }
  })
})
