import * as Y from 'yjs'
import { compactUpdates } from './compactUpdates'
import type { CompactRequest, CompactResponse } from './compactWorker'
import { type FirstScreenBody, writeFirstScreen } from './firstScreen'
import {
  describeError,
  docDbName,
  isQuotaError,
  openDocDatabase,
  readStoredRecords,
  requestToPromise,
  type StoredRecords,
  transactionDone,
  UPDATES_STORE,
} from './idb'

/** Records appended since the last compaction before we merge them (y-indexeddb uses 500 too). */
export const COMPACT_THRESHOLD_RECORDS = 500
/** Pause before retrying a failed write (quota, transient errors). */
export const WRITE_RETRY_MS = 3000
/** Quiet time after the last stored write before the first-screen cache is rewritten. */
export const SCREEN_DEBOUNCE_MS = 1500
/**
 * After an open, the cache is written this soon (after the first frame, before the user is
 * likely to leave): the store did not change, but the record may be missing or stale.
 */
export const SCREEN_AFTER_OPEN_MS = 400

export type LocalSaveState = 'loading' | 'saving' | 'saved' | 'error' | 'unavailable'

export interface LocalSaveStatus {
  state: LocalSaveState
  /** Records skipped at load because they failed to decode. */
  corrupt: number
  /** The last write failed for lack of space. */
  quota: boolean
  error?: string
}

export interface LoadResult {
  records: number
  corrupt: number
  bytes: number
  /** False when IndexedDB could not be used at all (the doc lives in memory only). */
  available: boolean
}

export interface IdbPersistenceOptions {
  /** The records already being read (started early at boot); default: read them now. */
  stored?: Promise<StoredRecords>
  compactThreshold?: number
  /** Returns a compaction Worker, or null to compact inline (tests, very old browsers). */
  makeWorker?: () => Worker | null
  onStatus?: (s: LocalSaveStatus) => void
  /** Delay of the first-screen cache write (`SCREEN_DEBOUNCE_MS`, `SCREEN_AFTER_OPEN_MS`). */
  screenDebounceMs?: number
}

/**
 * Our own y-indexeddb replacement: updates are appended (batched, one transaction per flush),
 * compaction runs in a Worker, the doc is never re-snapshotted on open, and failures become a
 * status instead of a hang. "saved" is reported only after the transaction's `complete` event.
 */
export class IdbPersistence {
  readonly whenLoaded: Promise<LoadResult>
  private db: IDBDatabase | null = null
  private queue: Uint8Array[] = []
  private flushing: Promise<void> | null = null
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private recordsSinceCompact = 0
  private lastKey = 0
  private compacting = false
  private worker: Worker | null = null
  private workerReqs = new Map<number, (r: CompactResponse) => void>()
  private nextReq = 1
  private destroyed = false
  private status: LocalSaveStatus = { state: 'loading', corrupt: 0, quota: false }
  private readonly threshold: number
  /**
   * Keys of stored records whose content this doc holds: loaded at open or written here (a
   * compaction of ours that merged a record not in here leaves its key out). The first-screen
   * cache is written only while every stored key is in here (`firstScreen.ts`).
   */
  private readonly known = new Set<IDBValidKey>()
  private screenSource: (() => FirstScreenBody | null) | null = null
  private screenTimer: ReturnType<typeof setTimeout> | null = null
  /** The store changed since the cache was last written (or it was never written this session). */
  private screenDirty = true
  private screenWriting: Promise<boolean> | null = null
  /** A record was written by this session (until then a settle writes it soon, not debounced). */
  private screenWritten = false

  constructor(
    readonly workbookId: string,
    readonly doc: Y.Doc,
    private readonly opts: IdbPersistenceOptions = {},
  ) {
    this.threshold = opts.compactThreshold ?? COMPACT_THRESHOLD_RECORDS
    this.whenLoaded = this.load().finally(() => {
      // Listen only after the stored records are in: with an 'update' listener attached, Yjs
      // encodes every transaction's update for it, and re-encoding a 100,000-row doc we just
      // read (to then ignore it by origin) cost ~0.5 s of the open.
      if (!this.destroyed) doc.on('update', this.onUpdate)
    })
  }

  getStatus(): LocalSaveStatus {
    return this.status
  }

  private setStatus(patch: Partial<LocalSaveStatus>): void {
    this.status = { ...this.status, ...patch }
    this.opts.onStatus?.(this.status)
  }

  private onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.destroyed) return
    this.queue.push(update)
    if (this.status.state !== 'unavailable') this.setStatus({ state: 'saving' })
    this.scheduleFlush(0)
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer !== null || !this.db) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null
      void this.flush()
    }, delayMs)
  }

  private async load(): Promise<LoadResult> {
    const stored = await (this.opts.stored ?? readStoredRecords(this.workbookId))
    if (!stored.ok) {
      this.setStatus({ state: 'unavailable', error: describeError(stored.error) })
      return { records: 0, corrupt: 0, bytes: 0, available: false }
    }
    const { db, values, keys } = stored
    if (this.destroyed) {
      db.close()
      return { records: 0, corrupt: 0, bytes: 0, available: false }
    }
    this.attach(db)
    for (const k of keys) this.known.add(k)
    if (stored.readError !== undefined) {
      this.setStatus({ state: 'error', error: describeError(stored.readError) })
    }
    performance.mark('tz:apply0')
    let corrupt = 0
    let bytes = 0
    this.doc.transact(() => {
      for (const v of values) {
        if (!(v instanceof Uint8Array)) {
          corrupt++
          continue
        }
        bytes += v.byteLength
        try {
          Y.applyUpdate(this.doc, v, this)
        } catch {
          corrupt++
        }
      }
    }, this)
    performance.mark('tz:apply1')
    const last = keys[keys.length - 1]
    this.lastKey = typeof last === 'number' ? last : 0
    this.recordsSinceCompact = values.length
    this.setStatus({ state: this.queue.length ? 'saving' : 'saved', corrupt })
    if (this.queue.length) this.scheduleFlush(0)
    if (values.length > this.threshold) this.compactSoon()
    return { records: values.length, corrupt, bytes, available: true }
  }

  private attach(db: IDBDatabase): void {
    this.db = db
    // Someone (the home page) wants to delete this database: let go so it is not blocked.
    db.onversionchange = () => {
      db.close()
      if (this.db === db) this.db = null
    }
    db.onclose = () => {
      if (this.db === db) this.db = null
    }
  }

  /** Resolves once everything queued so far is committed (or has failed and been reported). */
  async flush(): Promise<void> {
    while (this.flushing !== null) await this.flushing
    if (!this.queue.length || this.destroyed) return
    this.flushing = this.writeQueued().finally(() => {
      this.flushing = null
    })
    await this.flushing
  }

  private async writeQueued(): Promise<void> {
    if (!this.db) {
      if (this.status.state === 'unavailable') return
      try {
        this.attach(await openDocDatabase(this.workbookId))
      } catch (e) {
        this.setStatus({ state: 'error', error: describeError(e) })
        this.retryLater()
        return
      }
    }
    const db = this.db
    if (!db) return
    const batch = this.queue
    this.queue = []
    const records = recordsToWrite(batch)
    try {
      // strict: 'complete' fires only once the data is flushed to disk, so "saved on this device"
      // also holds across an OS crash or power cut, not just a closed tab.
      const tx = db.transaction(UPDATES_STORE, 'readwrite', { durability: 'strict' })
      const store = tx.objectStore(UPDATES_STORE)
      const adds = records.map((r) => requestToPromise(store.add(r)))
      const keys = await Promise.all(adds)
      const key = keys[keys.length - 1]
      await transactionDone(tx)
      for (const k of keys) this.known.add(k)
      this.screenDirty = true
      // The first record of a session (a doc that just arrived from the server, say) is written
      // as soon as the store settles; later ones after a quiet while.
      this.scheduleScreen(
        this.screenWritten ? undefined : (this.opts.screenDebounceMs ?? SCREEN_AFTER_OPEN_MS),
      )
      if (typeof key === 'number') this.lastKey = key
      this.recordsSinceCompact += records.length
      this.setStatus({
        state: this.queue.length ? 'saving' : 'saved',
        quota: false,
        error: undefined,
      })
      if (this.queue.length) this.scheduleFlush(0)
      if (this.recordsSinceCompact > this.threshold) this.compactSoon()
    } catch (e) {
      // Keep the batch: the edits are still only in memory and must not be dropped.
      this.queue = batch.concat(this.queue)
      if (e instanceof DOMException && e.name === 'InvalidStateError') this.db = null
      this.setStatus({ state: 'error', quota: isQuotaError(e), error: describeError(e) })
      this.retryLater()
    }
  }

  private retryLater(): void {
    if (this.destroyed) return
    setTimeout(() => void this.flush(), WRITE_RETRY_MS)
  }

  private compactSoon(): void {
    if (this.compacting || this.destroyed || !this.db) return
    this.compacting = true
    const upTo = this.lastKey
    void this.runCompaction(upTo)
      .then(({ merged, keys }) => {
        // `merged` records became one; records appended meanwhile stay counted.
        if (merged > 1)
          this.recordsSinceCompact = Math.max(1, this.recordsSinceCompact - merged + 1)
        // The merge is stored under upTo: its content is ours only if every merged record was.
        if (!keys.every((k) => this.known.has(k))) this.known.delete(upTo)
        for (const k of keys) if (k !== upTo) this.known.delete(k)
        if (merged > 1) {
          this.screenDirty = true
          this.scheduleScreen()
        }
      })
      .catch(() => {
        // A failed compaction leaves the records as they were; the next threshold retries it.
      })
      .finally(() => {
        this.compacting = false
      })
  }

  private async runCompaction(upTo: number): Promise<{ merged: number; keys: IDBValidKey[] }> {
    if (this.worker === null && this.opts.makeWorker) {
      try {
        this.worker = this.opts.makeWorker()
      } catch {
        this.worker = null
      }
      if (this.worker) {
        this.worker.onmessage = (ev: MessageEvent<CompactResponse>) => {
          const done = this.workerReqs.get(ev.data.id)
          this.workerReqs.delete(ev.data.id)
          done?.(ev.data)
        }
      }
    }
    if (!this.worker) {
      if (!this.db) return { merged: 0, keys: [] }
      return compactUpdates(this.db, upTo)
    }
    const id = this.nextReq++
    const worker = this.worker
    const res = await new Promise<CompactResponse>((resolve) => {
      this.workerReqs.set(id, resolve)
      worker.postMessage({ id, workbookId: this.workbookId, upTo } satisfies CompactRequest)
    })
    if (!res.ok) throw new Error(res.error)
    return res
  }

  // ---- the first-screen cache (firstScreen.ts) ----------------------------------------------

  /**
   * What the first screen shows, built from the open workbook; set once the workbook is open.
   * The cache is (re)written a while after the stored doc settles, on pagehide and on destroy.
   */
  setFirstScreenSource(build: () => FirstScreenBody | null): void {
    this.screenSource = build
    this.scheduleScreen(this.opts.screenDebounceMs ?? SCREEN_AFTER_OPEN_MS)
  }

  private scheduleScreen(delayMs = this.opts.screenDebounceMs ?? SCREEN_DEBOUNCE_MS): void {
    if (!this.screenSource || this.destroyed) return
    if (this.screenTimer !== null) clearTimeout(this.screenTimer)
    this.screenTimer = setTimeout(() => {
      this.screenTimer = null
      void this.writeFirstScreenNow()
    }, delayMs)
  }

  /** Nothing queued, being written or compacted: the doc holds exactly the stored records. */
  private settled(): boolean {
    return !this.queue.length && this.flushing === null && !this.compacting
  }

  /**
   * Writes the first-screen cache now if the store changed since the last one and the doc is
   * settled (else a later settle does). Resolves whether a record was written.
   */
  writeFirstScreenNow(): Promise<boolean> {
    if (this.screenWriting !== null) return this.screenWriting
    const db = this.db
    const source = this.screenSource
    if (!db || !source || !this.screenDirty || !this.settled()) return Promise.resolve(false)
    if (this.screenTimer !== null) clearTimeout(this.screenTimer)
    this.screenTimer = null
    this.screenDirty = false
    const write = writeFirstScreen(
      db,
      (k) => this.known.has(k),
      // Runs inside the transaction: re-checked there, since an edit may have been queued since.
      () => (this.settled() ? source() : null),
    )
      .catch(() => false)
      .then((wrote) => {
        if (wrote) this.screenWritten = true
        else this.screenDirty = true
        return wrote
      })
      .finally(() => {
        this.screenWriting = null
      })
    this.screenWriting = write
    return write
  }

  /** Stops listening and closes the database after a final flush. */
  async destroy(): Promise<void> {
    this.doc.off('update', this.onUpdate)
    if (this.flushTimer !== null) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.screenTimer !== null) clearTimeout(this.screenTimer)
    this.screenTimer = null
    try {
      await this.flush()
      await this.writeFirstScreenNow().catch(() => false)
    } finally {
      this.destroyed = true
      this.worker?.terminate()
      this.worker = null
      this.db?.close()
      this.db = null
    }
  }
}

/** Above this many queued bytes a flush writes its updates as they are instead of merging them. */
export const MERGE_MAX_BYTES = 256 * 1024

/**
 * The records one flush writes (in one IndexedDB transaction). Small edits merge cheaply into one
 * record, which keeps the store short between compactions. Big updates (a staged CSV import
 * queues ~1 MB slices faster than a strict-durability write completes) are written as they are:
 * merging several megabytes decodes and re-encodes every value on the main thread (~0.3 s
 * measured for a 100,000-row import); the compaction Worker merges them later.
 */
export function recordsToWrite(batch: Uint8Array[]): Uint8Array[] {
  if (batch.length === 1) return [batch[0]!]
  let bytes = 0
  for (const u of batch) bytes += u.byteLength
  if (bytes <= MERGE_MAX_BYTES) return [Y.mergeUpdates(batch)]
  return [...batch]
}

/** Deletes a workbook's local database; resolves false if it was blocked or failed. */
export function deleteLocalDoc(workbookId: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    const req = indexedDB.deleteDatabase(docDbName(workbookId))
    req.onsuccess = () => {
      clearTimeout(timer)
      resolve(true)
    }
    req.onerror = () => {
      clearTimeout(timer)
      resolve(false)
    }
  })
}
