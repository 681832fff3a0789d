/// <reference lib="webworker" />
/**
 * The .xlsx export's writer (issue #15 §2): the main thread reads the sheets in slices of compact
 * columns and posts them here (`exportXlsxFile.ts`); each slice is turned into the sheet's XML and
 * deflated as it arrives (`XlsxBookWriter`), so the writing overlaps the main thread's reading and
 * only the rest of the workbook (SheetJS, small) is left when the last slice is in.
 */
import { XlsxBookWriter } from '@taizhang/shared/xlsx'
import type { FromExportWorker, ToExportWorker } from './exportProtocol'

declare const self: DedicatedWorkerGlobalScope

let writer: XlsxBookWriter | undefined
/** The first failure; later messages are ignored and `finish` reports it. */
let failed: unknown

function fail(err: unknown): void {
  const msg: FromExportWorker = { type: 'error', message: String(err) }
  self.postMessage(msg)
}

self.onmessage = (e: MessageEvent<ToExportWorker>) => {
  const m = e.data
  if (failed !== undefined) return
  try {
    if (m.type === 'book') writer = new XlsxBookWriter(m.title, m.titleRow)
    else if (!writer) throw new Error('xlsx export: no book')
    else if (m.type === 'sheet') writer.startSheet(m.head)
    else if (m.type === 'rows') writer.rows(m.slice)
    else
      writer
        .finish()
        .then((r) => {
          const msg: FromExportWorker = { type: 'done', bytes: r.bytes, sheets: r.sheets }
          self.postMessage(msg, [r.bytes.buffer as ArrayBuffer])
        })
        .catch(fail)
  } catch (err) {
    failed = err
    fail(err)
  }
}
