import type { XlsxSheetPart, XlsxSlice } from '@taizhang/shared/xlsx'
import type { ToExportWorker } from './exportProtocol'

/**
 * A slice's buffers, transferred (not copied) with it. Written here rather than imported from
 * `@taizhang/shared/xlsx`: a value import would pull that module (SheetJS included) into the
 * app's static chunks; `exportXlsxFile.ts` loads it on first use.
 */
const transferOf = (s: XlsxSlice): ArrayBuffer[] =>
  [s.kind.buffer, s.value.buffer, s.format.buffer] as ArrayBuffer[]

/**
 * The main thread's half of the .xlsx export (issue #15 §2): each sheet's rows read into compact
 * columns (`XlsxSlice`: typed arrays, one text table) and posted to the export worker with their
 * buffers transferred, in slices, one task each, sized by time rather than by a fixed row count: after
 * each slice the cost per cell is updated and the next slice sized to take about `budgetMs`. A fixed
 * 4,000 rows took 150–360 ms per task on the loaded benchmark machine; the budget keeps every task
 * near it whatever the machine's load and the sheet's width. Plain TS (no DOM): the benchmark
 * (bench/xlsx/browserEntry.ts) runs this same function.
 */
export interface SliceOptions {
  /** Aimed time of one slice (read + post), ms. */
  budgetMs?: number
  /** Ends the current task (the app: `nextTask` below). */
  nextTask: () => Promise<void>
  /** Clock, ms. */
  now?: () => number
  /** True when the reading should end early (the worker has failed). */
  stop?: () => boolean
}

/**
 * Ends the current task: a message to self through a channel, which browsers run without the
 * ≥ 4 ms clamp nested `setTimeout(0)`s get (a slice of ~25 ms would lose a sixth to it).
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => {
      ch.port1.close()
      resolve()
    }
    ch.port2.postMessage(null)
  })
}

/** Cells in the first slice, before anything is timed. */
const FIRST_CELLS = 3000
const MAX_SLICE = 8000

export async function postSheetSlices(
  parts: readonly XlsxSheetPart[],
  post: (m: ToExportWorker, transfer?: ArrayBuffer[]) => void,
  options: SliceOptions,
): Promise<void> {
  const budget = options.budgetMs ?? 25
  const now = options.now ?? (() => performance.now())
  /** Measured ms per cell (read + post), carried from sheet to sheet; undefined until timed. */
  let perCell: number | undefined
  for (const p of parts) {
    post({
      type: 'sheet',
      head: { name: p.name, header: p.header, widths: p.widths, rowCount: p.rowCount },
    })
    const width = Math.max(1, p.header.length)
    for (let from = 0; from < p.rowCount; ) {
      if (options.stop?.()) return
      const slice = Math.min(
        MAX_SLICE,
        Math.max(
          1,
          Math.floor(perCell === undefined ? FIRST_CELLS / width : budget / perCell / width),
        ),
      )
      const t0 = now()
      const rows = p.slice(from, from + slice)
      const n = rows.rowCount
      post({ type: 'rows', slice: rows }, transferOf(rows))
      from += n || slice
      const measured = Math.max(0.5, now() - t0) / Math.max(1, n * width)
      // Trust a slower measure at once, a faster one halfway (a fast slice may be luck).
      perCell = perCell === undefined || measured > perCell ? measured : (perCell + measured) / 2
      await options.nextTask()
    }
  }
}
