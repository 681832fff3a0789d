/** Tiny promise helpers over IndexedDB, shared by the persistence, the registry and the worker. */

export const UPDATES_STORE = 'updates'
/** The first-screen cache (`firstScreen.ts`): one small record next to the updates. */
export const SCREEN_STORE = 'screen'

export function requestToPromise<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

/** Resolves when the transaction commits: only then is the data on disk ("saved on this device"). */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'))
  })
}

/**
 * Opens a database, failing after `timeoutMs` instead of hanging forever (a `blocked` upgrade or a
 * wedged browser profile would otherwise never settle).
 */
export function openDatabase(
  name: string,
  version: number,
  upgrade: (db: IDBDatabase) => void,
  timeoutMs = 5000,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      reject(new Error(`IndexedDB open timed out after ${timeoutMs} ms`))
    }, timeoutMs)
    let req: IDBOpenDBRequest
    try {
      req = indexedDB.open(name, version)
    } catch (e) {
      clearTimeout(timer)
      reject(e)
      return
    }
    req.onupgradeneeded = () => upgrade(req.result)
    req.onsuccess = () => {
      clearTimeout(timer)
      if (settled) req.result.close()
      else resolve(req.result)
    }
    req.onerror = () => {
      clearTimeout(timer)
      reject(req.error ?? new Error('IndexedDB open failed'))
    }
  })
}

export function docDbName(workbookId: string): string {
  return `taizhang-doc-${workbookId}`
}

/** The localStorage key of one of a workbook's small advisory values (`unacked`, `durable`, …). */
export function workbookStorageKey(workbookId: string, name: string): string {
  return `taizhang.wb.${workbookId}.${name}`
}

/** Version 2 added SCREEN_STORE; the upgrade from 1 keeps every update as it is. */
export const DOC_DB_VERSION = 2

export function openDocDatabase(workbookId: string): Promise<IDBDatabase> {
  return openDatabase(docDbName(workbookId), DOC_DB_VERSION, (db) => {
    if (!db.objectStoreNames.contains(UPDATES_STORE)) {
      db.createObjectStore(UPDATES_STORE, { autoIncrement: true })
    }
    if (!db.objectStoreNames.contains(SCREEN_STORE)) db.createObjectStore(SCREEN_STORE)
  })
}

export function describeError(e: unknown): string {
  if (e instanceof Error || e instanceof DOMException) return e.name + ': ' + e.message
  return String(e)
}

export function isQuotaError(e: unknown): boolean {
  return (
    (e instanceof DOMException || e instanceof Error) &&
    (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED')
  )
}

/** A workbook's stored records, read before the persistence exists (see `prefetchDoc`). */
export type StoredRecords =
  | { ok: true; db: IDBDatabase; values: unknown[]; keys: IDBValidKey[]; readError?: unknown }
  | { ok: false; error: unknown }

/**
 * Opens a workbook's database and reads every record. Never rejects: a failed open is
 * `{ ok: false }`, a failed read keeps the connection and reports `readError` with no records.
 */
export async function readStoredRecords(
  workbookId: string,
  /** Called once the read is under way (its requests issued) or has failed to start. */
  onIssued?: () => void,
  /** Called with the connection as soon as it is open, before the read (the first screen). */
  onOpened?: (db: IDBDatabase) => void,
): Promise<StoredRecords> {
  let db: IDBDatabase
  try {
    db = await openDocDatabase(workbookId)
    performance.mark('tz:dbopen')
    onOpened?.(db)
  } catch (error) {
    onIssued?.()
    return { ok: false, error }
  }
  // Let go if someone (the home page) deletes the database before the persistence takes it.
  db.onversionchange = () => db.close()
  try {
    const tx = db.transaction(UPDATES_STORE, 'readonly')
    const store = tx.objectStore(UPDATES_STORE)
    const reads = Promise.all([
      requestToPromise(store.getAll()),
      requestToPromise(store.getAllKeys()),
    ])
    onIssued?.()
    const [values, keys] = await reads
    performance.mark('tz:read')
    return { ok: true, db, values, keys }
  } catch (readError) {
    onIssued?.()
    return { ok: true, db, values: [], keys: [], readError }
  }
}

/** A read worker's name: this, then the workbook id; it starts reading as soon as it runs. */
export const READ_WORKER_PREFIX = 'tz-read:'

/**
 * `readStoredRecords` with the reading itself in a Worker (`readWorker.ts`): the records' blob
 * pieces and their deserialization cost the main thread nothing, and the bytes are transferred.
 * The main thread opens its own connection alongside (the persistence writes through it). Falls
 * back to reading here when the Worker cannot be made or fails. Never rejects.
 */
export async function readStoredRecordsOffThread(
  workbookId: string,
  /** Makes the reading worker for this workbook (it is named after it: `readWorker.ts`). */
  makeWorker: (workbookId: string) => Worker,
  onIssued?: () => void,
  /** Called with the main thread's connection as soon as it is open (the first-screen read). */
  onOpened?: (db: IDBDatabase) => void,
): Promise<StoredRecords> {
  let worker: Worker
  try {
    worker = makeWorker(workbookId)
  } catch {
    return readStoredRecords(workbookId, onIssued, onOpened)
  }
  const opened = openDocDatabase(workbookId).then(
    (db) => {
      performance.mark('tz:dbopen')
      onOpened?.(db)
      return { ok: true as const, db }
    },
    (error: unknown) => ({ ok: false as const, error }),
  )
  const read = new Promise<import('./readWorker').ReadResponse | null>((resolve) => {
    worker.onmessage = (e) => resolve(e.data)
    worker.onerror = () => resolve(null)
  })
  onIssued?.()
  const [conn, res] = await Promise.all([opened, read])
  worker.terminate()
  if (!conn.ok) return { ok: false, error: conn.error }
  const db = conn.db
  db.onversionchange = () => db.close()
  if (res === null) {
    // The worker failed to start or crashed: read here instead.
    db.close()
    return readStoredRecords(workbookId)
  }
  performance.mark('tz:read')
  if (!res.ok) {
    return { ok: true, db, values: [], keys: [], readError: new Error(res.error) }
  }
  return { ok: true, db, values: res.values, keys: res.keys }
}
