/// <reference lib="webworker" />
/**
 * The .xlsx export's writer (issue #15 §2): the main thread reads the sheets in slices and posts
 * them here (`exportXlsxFile.ts`); SheetJS's `write`, one synchronous call of seconds for 100,000
 * rows, and the re-deflate run here, so no main-thread task is long.
 */
import { writeXlsxBook, type XlsxSheetInput } from '@taizhang/shared/xlsx'
import type { FromExportWorker, ToExportWorker } from './exportProtocol'

declare const self: DedicatedWorkerGlobalScope

const sheets: XlsxSheetInput[] = []

self.onmessage = (e: MessageEvent<ToExportWorker>) => {
  const m = e.data
  if (m.type === 'sheet') {
    sheets.push({ name: m.name, header: m.header, widths: m.widths, rows: [] })
    return
  }
  if (m.type === 'rows') {
    const rows = sheets[sheets.length - 1]!.rows
    for (const r of m.rows) rows.push(r)
    return
  }
  writeXlsxBook({ title: m.title, titleRow: m.titleRow, sheets })
    .then((r) => {
      const msg: FromExportWorker = { type: 'done', bytes: r.bytes, sheets: r.sheets }
      self.postMessage(msg, [r.bytes.buffer as ArrayBuffer])
    })
    .catch((err: unknown) => {
      const msg: FromExportWorker = { type: 'error', message: String(err) }
      self.postMessage(msg)
    })
}
