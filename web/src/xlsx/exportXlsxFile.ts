import type { Workbook } from '@taizhang/shared'
import { downloadBytes } from '../csv/download'
import type { FromExportWorker, ToExportWorker } from './exportProtocol'
import { nextTask, postSheetSlices } from './exportSlices'

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A file name Windows accepts, with the .xlsx extension. */
export function xlsxFileName(name: string): string {
  return `${name.replace(/[\\/:*?"<>|]+/g, '_').trim() || 'workbook'}.xlsx`
}

/**
 * Writes and downloads an .xlsx (issue #15 §2). The sheets are read on the main thread in slices
 * of about 25 ms each, a task each (`exportSlices.ts`), as compact columns transferred to a worker
 * that writes and deflates each slice's XML as it arrives (`exportWorker.ts`); the cell reader
 * (`xlsxSheetParts`) is imported on first use, so the app's entry chunk carries none of it.
 */
export async function downloadXlsx(
  wb: Workbook,
  opts: {
    /** One sheet (with the grid's filtered, sorted rows when given) or, when absent, every sheet. */
    sheet?: { sheetId: string; rowIds?: readonly string[] }
    titleRow: boolean
    fileName: string
  },
): Promise<{ sheets: number; bytes: number }> {
  const { xlsxSheetParts } = await import('@taizhang/shared/xlsx')
  const parts = xlsxSheetParts(wb, {
    ...(opts.sheet ? { sheets: [opts.sheet] } : {}),
    titleRow: opts.titleRow,
  })
  const worker = new Worker(new URL('./exportWorker.ts', import.meta.url), {
    type: 'module',
    name: 'xlsx-export',
  })
  try {
    const done = new Promise<FromExportWorker>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromExportWorker>) => resolve(e.data)
      worker.onerror = (e) => reject(new Error(e.message || 'export worker error'))
    })
    const post = (m: ToExportWorker, transfer: ArrayBuffer[] = []) =>
      worker.postMessage(m, transfer)
    post({ type: 'book', title: wb.meta().title, titleRow: opts.titleRow })
    // A failure in the worker settles `done` at once; stop reading then.
    let settled = false
    void done.then(
      () => (settled = true),
      () => (settled = true),
    )
    await postSheetSlices(parts, post, { nextTask, stop: () => settled })
    post({ type: 'finish' })
    const r = await done
    if (r.type === 'error') throw new Error(r.message)
    downloadBytes(r.bytes, xlsxFileName(opts.fileName), XLSX_MIME)
    return { sheets: r.sheets.length, bytes: r.bytes.length }
  } finally {
    worker.terminate()
  }
}
