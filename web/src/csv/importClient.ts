import type {
  AddedColumn,
  CellValue,
  Column,
  ColumnMapping,
  CsvReadProgress,
  CsvRefusal,
  ImportPlan,
  RowView,
} from '@taizhang/shared'
import type {
  FromWorker,
  ReadSettings,
  ReadSummary,
  ToWorker,
  WorkerImportOptions,
} from './protocol'

export type ReadOutcome = { ok: true; summary: ReadSummary } | { ok: false; refusal: CsvRefusal }
export type PlanOutcome = { ok: true; plan: ImportPlan } | { ok: false; refusal: CsvRefusal }

/** Talks to one CSV worker. Cancel terminates it (instant, whatever it is doing). */
export interface CsvImporter {
  read(
    file: Blob,
    settings: ReadSettings,
    columns: Column[],
    onProgress: (p: CsvReadProgress) => void,
  ): Promise<ReadOutcome>
  plan(
    mapping: ColumnMapping[],
    columns: Column[],
    rows: RowView[] | null,
    options: WorkerImportOptions,
  ): Promise<PlanOutcome>
  /**
   * Lets the worker drop the read file's table, and its opened workbook unless `keepBook` (more
   * worksheets of it to import): sent before an apply, so the worker's copy of the file is not
   * held beside the plan and the new rows. Fire and forget; the next plan needs a new read.
   * Without `keepBook` the idle worker is ended (its heap freed at once; the next call starts one).
   */
  release(keepBook: boolean): void
  cancel(): void
  dispose(): void
}

export type WorkerFactory = () => Worker

const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('./csvWorker.ts', import.meta.url), { type: 'module', name: 'csv-import' })

/** Plain factory (no Solid owner): returns the importer; `dispose` terminates the worker. */
export function makeCsvImporter(makeWorker: WorkerFactory = defaultWorker): CsvImporter {
  let worker: Worker | null = null
  let pending: {
    resolve: (m: FromWorker) => void
    reject: (e: Error) => void
    onProgress?: (p: CsvReadProgress) => void
    /** A plan's added columns received so far. */
    columns: AddedColumn[]
  } | null = null

  const ensure = (): Worker => {
    if (worker) return worker
    const w = makeWorker()
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data
      if (m.type === 'progress') pending?.onProgress?.(m.progress)
      else if (m.type === 'plan-column') {
        if (pending) pending.columns[m.index] = m.column
      } else if (m.type === 'plan-values') {
        const c = pending?.columns[m.index]
        if (c?.kind === 'values') {
          const v = c.values
          const part = m.values as CellValue[]
          for (let i = 0; i < part.length; i++) v[m.from + i] = part[i]!
        }
      } else {
        const p = pending
        pending = null
        if (m.type === 'error') p?.reject(new Error(m.message))
        else if (m.type === 'plan' && m.ok && p) {
          // The added columns arrived before the plan (see `plan-column`).
          p.resolve({ ...m, plan: { ...m.plan, adds: { ...m.plan.adds, columns: p.columns } } })
        } else p?.resolve(m)
      }
    }
    w.onerror = (e) => {
      const p = pending
      pending = null
      p?.reject(new Error(e.message || 'worker error'))
    }
    worker = w
    return w
  }

  const call = (msg: ToWorker, onProgress?: (p: CsvReadProgress) => void): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      if (pending) pending.reject(new Error('superseded'))
      pending = onProgress
        ? { resolve, reject, onProgress, columns: [] }
        : { resolve, reject, columns: [] }
      ensure().postMessage(msg)
    })

  return {
    async read(file, settings, columns, onProgress) {
      const m = await call({ type: 'read', file, settings, columns }, onProgress)
      if (m.type !== 'read') throw new Error(`unexpected ${m.type}`)
      return m.ok ? { ok: true, summary: m.summary } : { ok: false, refusal: m.refusal }
    },
    async plan(mapping, columns, rows, options) {
      const m = await call({ type: 'plan', mapping, columns, rows, options })
      if (m.type === 'read' && !m.ok) return { ok: false, refusal: m.refusal } // cancelled
      if (m.type !== 'plan') throw new Error(`unexpected ${m.type}`)
      return m.ok ? { ok: true, plan: m.plan } : { ok: false, refusal: m.refusal }
    },
    release(keepBook) {
      if (!worker) return // never started, or cancelled: nothing held
      if (keepBook || pending) {
        worker.postMessage({ type: 'release', keepBook } satisfies ToWorker)
        return
      }
      // Nothing to keep: ending the worker frees its whole heap at once (an idle worker's freed
      // table and book are otherwise collected only when it next allocates); the next call
      // starts a new one, as after `cancel`.
      worker.terminate()
      worker = null
    },
    cancel() {
      // Terminating is the fastest stop (well under the 1 s the issue allows); the next call starts a new worker.
      worker?.terminate()
      worker = null
      const p = pending
      pending = null
      p?.resolve({ type: 'read', ok: false, refusal: { kind: 'cancelled' } })
    },
    dispose() {
      worker?.terminate()
      worker = null
      pending = null
    },
  }
}

/**
 * The importer as `importOtherWorksheets` (xlsx/importMore.ts) uses it — read, plan, apply per
 * worksheet: after each plan the worker drops that worksheet's table, and the opened workbook too
 * once the last of the `count` worksheets was read, so neither is held beside the plan during the
 * apply (issue #15: peak memory).
 */
export function releasingImporter(importer: CsvImporter, count: number): CsvImporter {
  let reads = 0
  return {
    ...importer,
    read: (...args) => {
      reads++
      return importer.read(...args)
    },
    plan: async (...args) => {
      const r = await importer.plan(...args)
      importer.release(reads < count)
      return r
    },
  }
}
