import * as XLSX from '@e965/xlsx'
import type { CsvRefusal } from '../csv/issues.js'
import { MAX_XLSX_BYTES } from './limits.js'
import { guardXlsxBytes } from './zipGuard.js'

/**
 * Opens an .xlsx workbook (issue #15 §1) with SheetJS (`@e965/xlsx` 0.20.3, chosen by measurement:
 * docs/XLSX.md) after `guardXlsxBytes` has checked it. Pure: bytes in, cells out, no I/O. Rows are
 * read by `readWorksheet` (`sheetTable.ts`) into the same table the CSV import plans from.
 */
export interface XlsxWorksheetInfo {
  name: string
  /** Hidden or very hidden in the workbook. */
  hidden: boolean
  /** Rows and columns of the used range (0 for an empty sheet). */
  rows: number
  columns: number
}

export interface XlsxBook {
  worksheets: XlsxWorksheetInfo[]
  /** The workbook uses the 1904 date system (old Mac Excel); serials count from 1904-01-01. */
  date1904: boolean
  /** The document title, if the file has one. */
  title?: string
  /** SheetJS's parsed workbook (opaque outside this folder). */
  readonly sheets: Readonly<Record<string, XLSX.WorkSheet>>
}

export type XlsxOpenResult = { ok: true; book: XlsxBook } | { ok: false; refusal: CsvRefusal }

/** Reads the workbook's cells, formats, merges and hidden rows/columns; never throws. */
export async function openXlsx(bytes: Uint8Array): Promise<XlsxOpenResult> {
  if (bytes.length === 0) return { ok: false, refusal: { kind: 'empty' } }
  if (bytes.length > MAX_XLSX_BYTES)
    return { ok: false, refusal: { kind: 'too-large', bytes: bytes.length, limit: MAX_XLSX_BYTES } }
  const guard = await guardXlsxBytes(bytes)
  if (!guard.ok)
    return {
      ok: false,
      refusal: {
        kind: 'xlsx',
        reason: guard.reason,
        ...(guard.detail ? { detail: guard.detail } : {}),
      },
    }
  let wb: XLSX.WorkBook
  try {
    wb = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      cellNF: true, // number formats: dates, %, 万元
      cellFormula: true, // to say which values were formulas (the cached value is imported)
      cellDates: false, // serials: converted here, with the workbook's date system
      cellStyles: true, // hidden rows and columns
      cellHTML: false,
      bookVBA: false,
    })
  } catch (e) {
    return {
      ok: false,
      refusal: {
        kind: 'xlsx',
        reason: 'corrupt',
        detail: e instanceof Error ? e.message : String(e),
      },
    }
  }
  if (!wb.SheetNames || wb.SheetNames.length === 0)
    return { ok: false, refusal: { kind: 'xlsx', reason: 'not-spreadsheet' } }
  const props = wb.Workbook?.Sheets ?? []
  const worksheets = wb.SheetNames.map((name, i): XlsxWorksheetInfo => {
    const ws = wb.Sheets[name]
    const ref = ws?.['!ref']
    const range = ref ? XLSX.utils.decode_range(ref) : undefined
    return {
      name,
      hidden: (props[i]?.Hidden ?? 0) !== 0,
      rows: range ? range.e.r + 1 : 0,
      columns: range ? range.e.c + 1 : 0,
    }
  })
  const title = wb.Props?.Title
  return {
    ok: true,
    book: {
      worksheets,
      date1904: Boolean(wb.Workbook?.WBProps?.date1904),
      ...(title ? { title } : {}),
      sheets: wb.Sheets,
    },
  }
}

/** Whether a number format shows a date or time (SheetJS's own test, which knows the locale codes). */
export function isDateFormat(format: string): boolean {
  return XLSX.SSF.is_date(format) as boolean
}

/**
 * The calendar date of an Excel serial in the workbook's date system, as `YYYY-MM-DD`. SheetJS's
 * `parse_date_code` carries Lotus' 1900 leap-year bug the way Excel shows it: serial 60 is the
 * nonexistent 1900-02-29 (returned as is, so the import flags it), 61 is 1900-03-01.
 */
export function serialToIsoDate(serial: number, date1904: boolean): string | undefined {
  const d = XLSX.SSF.parse_date_code(serial, { date1904 }) as
    | { y: number; m: number; d: number }
    | undefined
  if (!d) return undefined
  return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`
}

/** SheetJS's range decoder, re-exported for this folder. */
export const decodeRange = XLSX.utils.decode_range
