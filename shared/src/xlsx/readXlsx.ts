import * as XLSX from '@e965/xlsx'
import type { CsvRefusal } from '../csv/issues.js'
import { CellStyles } from './cellText.js'
import { MAX_XLSX_BYTES } from './limits.js'
import { readSheetGrid, type SheetGrid } from './sheetStream.js'
import {
  readRels,
  readSharedStrings,
  readStyles,
  readTitle,
  readWorkbookPart,
  resolvePath,
  zipIndex,
} from './xmlParts.js'
import { guardXlsxBytes } from './zipGuard.js'

/**
 * Opens an .xlsx workbook (issue #15 §1) after `guardXlsxBytes` has checked it. Pure: bytes in,
 * cells out, no I/O. Since the import-memory work the parts are streamed (`xmlParts.ts`,
 * `sheetStream.ts`: native inflate → `saxes`), each worksheet straight into compact columns of
 * import text; SheetJS (`@e965/xlsx` 0.20.3, chosen by measurement: docs/XLSX.md) still supplies
 * the number-format knowledge (built-in formats, date test, serial → date). Rows are read by
 * `readWorksheet` (`sheetTable.ts`) into the same table the CSV import plans from.
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
  /** Each worksheet's cells as import text (opaque outside this folder). */
  readonly grids: Readonly<Record<string, SheetGrid>>
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
  try {
    const zip = zipIndex(bytes)
    if ('ok' in zip) return { ok: false, refusal: { kind: 'xlsx', reason: 'corrupt' } }
    const root = await readRels(zip, '')
    const office = [...root.values()]
    const wbPath =
      office.find((r) => r.type === 'officeDocument')?.target ??
      [...zip.entries.keys()].find((n) => /^xl\/workbook\.xml$/i.test(n))
    // A binary workbook (.xlsb) is not read: saving it as .xlsx is the way, as for .xls.
    if (wbPath && /\.bin$/i.test(wbPath))
      return { ok: false, refusal: { kind: 'xlsx', reason: 'legacy', detail: 'xlsb' } }
    if (!wbPath || !zip.entries.has(wbPath))
      return { ok: false, refusal: { kind: 'xlsx', reason: 'not-spreadsheet' } }
    const rels = await readRels(zip, wbPath)
    const wbDir = wbPath.slice(0, wbPath.lastIndexOf('/') + 1)
    const byType = (type: string) => [...rels.values()].find((r) => r.type === type)?.target
    const part = await readWorkbookPart(zip, wbPath)
    if (part.sheets.length === 0)
      return { ok: false, refusal: { kind: 'xlsx', reason: 'not-spreadsheet' } }
    const strings = await readSharedStrings(zip, byType('sharedStrings'))
    const st = await readStyles(zip, byType('styles'))
    const styles = new CellStyles(st.xfFormats, st.formats, part.date1904)
    const grids: Record<string, SheetGrid> = {}
    const worksheets: XlsxWorksheetInfo[] = []
    for (const s of part.sheets) {
      const target = rels.get(s.rid)?.target ?? resolvePath(wbDir, `worksheets/${s.rid}.xml`)
      // A chart sheet or a dialog sheet has no cells: listed as empty.
      const grid =
        rels.get(s.rid)?.type === 'worksheet' && zip.entries.has(target)
          ? await readSheetGrid(zip, target, strings, styles)
          : undefined
      if (grid) grids[s.name] = grid
      worksheets.push({
        name: s.name,
        hidden: s.hidden,
        rows: grid?.rowCount ?? 0,
        columns: grid?.width ?? 0,
      })
    }
    const core = office.find((r) => r.type === 'core-properties')?.target ?? 'docProps/core.xml'
    const title = await readTitle(zip, core)
    return {
      ok: true,
      book: { worksheets, date1904: part.date1904, ...(title ? { title } : {}), grids },
    }
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
}

/**
 * The code of a built-in number format (ids below 164 are not written in the file). SheetJS's table
 * has Excel's international ones; the East Asian ids map to the nearest of those, as ECMA-376
 * §18.8.30 lists them: 27–31, 36, 50–58 dates; 32–35 times; 5–8 currency, 67–81 Thai variants.
 */
const BUILTIN_ALIAS: Record<number, number> = {
  5: 37,
  6: 38,
  7: 39,
  8: 40,
  27: 14,
  28: 14,
  29: 14,
  30: 14,
  31: 14,
  32: 21,
  33: 21,
  34: 21,
  35: 21,
  36: 14,
  50: 14,
  51: 14,
  52: 14,
  53: 14,
  54: 14,
  55: 14,
  56: 14,
  57: 14,
  58: 14,
  59: 1,
  60: 2,
  61: 3,
  62: 4,
  67: 9,
  68: 10,
  69: 12,
  70: 13,
  71: 14,
  72: 14,
  73: 15,
  74: 16,
  75: 17,
  76: 20,
  77: 21,
  78: 22,
  79: 45,
  80: 46,
  81: 47,
}
let builtins: Record<number, string> | undefined
export function numberFormatCode(id: number): string {
  builtins ??= XLSX.SSF.get_table() as Record<number, string>
  return builtins[id] ?? builtins[BUILTIN_ALIAS[id] ?? 0] ?? 'General'
}

/** A number shown in a format, as Excel would (SheetJS's formatter). */
export function showNumber(code: string, v: number, date1904: boolean): string {
  try {
    return String(XLSX.SSF.format(code, v, { date1904 }))
  } catch {
    return String(v)
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
