import type { XlsxSheetPart } from '@taizhang/shared/xlsx'
import type { ToExportWorker } from './exportProtocol'

/**
 * The main thread's half of the .xlsx export (issue #15 §2): each sheet's rows read and posted to the
 * export worker in slices, one task each, sized by time rather than by a fixed row count: after
 * each slice the cost per cell is updated and the next slice sized to take about `budgetMs`. A fixed
 * 4,000 rows took 150–360 ms per task on the loaded benchmark machine; the budget keeps every task
 * near it whatever the machine's load and the sheet's width. Plain TS (no DOM): the benchmark
 * (bench/xlsx/browserEntry.ts) runs this same function.
 */
export interface SliceOptions {
  /** Aimed time of one slice (read + post), ms. */
  budgetMs?: number
  /** Ends the current task (the app: `setTimeout(0)`). */
  nextTask: () => Promise<void>
  /** Clock, ms. */
  now?: () => number
}

/** Cells in the first slice, before anything is timed. */
const FIRST_CELLS = 3000
const MAX_SLICE = 8000

export async function postSheetSlices(
  parts: readonly XlsxSheetPart[],
  post: (m: ToExportWorker) => void,
  options: SliceOptions,
): Promise<void> {
  const budget = options.budgetMs ?? 25
  const now = options.now ?? (() => performance.now())
  /** Measured ms per cell (read + post), carried from sheet to sheet; undefined until timed. */
  let perCell: number | undefined
  for (const p of parts) {
    post({ type: 'sheet', name: p.name, header: p.header, widths: p.widths })
    const width = Math.max(1, p.header.length)
    for (let from = 0; from < p.rowCount; ) {
      const slice = Math.min(
        MAX_SLICE,
        Math.max(
          1,
          Math.floor(perCell === undefined ? FIRST_CELLS / width : budget / perCell / width),
        ),
      )
      const t0 = now()
      const rows = p.cells(from, from + slice)
      post({ type: 'rows', rows })
      from += rows.length || slice
      const measured = Math.max(0.5, now() - t0) / Math.max(1, rows.length * width)
      // Trust a slower measure at once, a faster one halfway (a fast slice may be luck).
      perCell = perCell === undefined || measured > perCell ? measured : (perCell + measured) / 2
      await options.nextTask()
    }
  }
}
