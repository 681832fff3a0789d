import type { CsvRefusal } from '../csv/issues.js'
import { CellStyles } from './cellText.js'
import { MAX_XLSX_BYTES } from './limits.js'

export { decodeRange, isDateFormat, serialToIsoDate } from './numberFormats.js'

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
