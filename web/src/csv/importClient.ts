import type {
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
    /** A plan's rows received so far. */
    adds: ImportPlan['adds']
  } | null = null

  const ensure = (): Worker => {
    if (worker) return worker
    const w = makeWorker()
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data
      if (m.type === 'progress') pending?.onProgress?.(m.progress)
      else if (m.type === 'plan-adds') {
        if (pending) for (const a of m.adds) pending.adds.push(a)
      } else {
        const p = pending
        pending = null
        if (m.type === 'error') p?.reject(new Error(m.message))
        else if (m.type === 'plan' && m.ok && p) {
          // The rows arrived in pieces before the plan (see PLAN_CHUNK_ROWS).
          for (const a of m.plan.adds) p.adds.push(a)
          p.resolve({ ...m, plan: { ...m.plan, adds: p.adds } })
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
        ? { resolve, reject, onProgress, adds: [] }
        : { resolve, reject, adds: [] }
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
