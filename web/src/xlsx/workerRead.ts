/**
 * The .xlsx read inside the import worker (issue #15 §1). Loaded with a dynamic `import()` by
 * `csv/workerCore.ts` only when the file is a workbook, so SheetJS is fetched on first use and
 * neither the app's entry chunk nor a CSV import grows.
 */

import type { CsvRefusal } from '@taizhang/shared'
import {
  MAX_XLSX_BYTES,
  openXlsx,
  readWorksheet,
  type XlsxBook,
  type XlsxSheetResult,
  type XlsxWorksheetInfo,
} from '@taizhang/shared/xlsx'
import type { XlsxReadSettings } from '../csv/protocol'

/**
 * The workbook last opened, kept while the dialog switches worksheets or toggles options; one per
 * worker core (`createCsvWorkerCore`), which empties it on `release`.
 */
export interface XlsxBookCache {
  current?: { file: Blob; book: XlsxBook }
}

export type XlsxWorkerRead =
  | (Extract<XlsxSheetResult, { ok: true }> & { worksheets: XlsxWorksheetInfo[]; bytes: number })
  | { ok: false; refusal: CsvRefusal }

export async function readXlsxInWorker(
  file: Blob,
  settings: XlsxReadSettings,
  cache: XlsxBookCache,
): Promise<XlsxWorkerRead> {
  if (file.size > MAX_XLSX_BYTES)
    return { ok: false, refusal: { kind: 'too-large', bytes: file.size, limit: MAX_XLSX_BYTES } }
  let book = cache.current?.file === file ? cache.current.book : undefined
  if (!book) {
    cache.current = undefined
    const opened = await openXlsx(new Uint8Array(await file.arrayBuffer()))
    if (!opened.ok) return opened
    book = opened.book
    cache.current = { file, book }
  }
  const first = book.worksheets.find((w) => !w.hidden) ?? book.worksheets[0]!
  const name =
    settings.worksheet && book.worksheets.some((w) => w.name === settings.worksheet)
      ? settings.worksheet
      : first.name
  const read = readWorksheet(book, name, {
    includeTotals: settings.includeTotals,
    fillMerged: settings.fillMerged,
  })
  if (!read.ok) return read
  return { ...read, worksheets: book.worksheets, bytes: file.size }
}
