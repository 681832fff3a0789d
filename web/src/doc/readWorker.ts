/// <reference lib="webworker" />
// Reads a workbook's stored records off the main thread (`readStoredRecordsOffThread`). A 20 MB
// record arrives as a blob that Chromium reads in ~64 KB pieces, each a task on the reading
// thread, and then deserializes: 100–250 ms of main-thread tasks while the page is still loading
// its code. Here they run on this thread; the bytes are transferred, not copied.
import {
  describeError,
  openDocDatabase,
  READ_WORKER_PREFIX,
  requestToPromise,
  UPDATES_STORE,
} from './idb'

export type ReadResponse =
  | { ok: true; values: unknown[]; keys: IDBValidKey[] }
  | { ok: false; stage: 'open' | 'read'; error: string }

const scope = self as unknown as DedicatedWorkerGlobalScope

// Not a message: a message posted to a worker that is still starting is handed over by the main
// thread, which at boot is busy evaluating the app (that handover waited ~200 ms).
async function read(workbookId: string): Promise<void> {
  let db: IDBDatabase
  try {
    db = await openDocDatabase(workbookId)
  } catch (e) {
    scope.postMessage({ ok: false, stage: 'open', error: describeError(e) } satisfies ReadResponse)
    return
  }
  try {
    const store = db.transaction(UPDATES_STORE, 'readonly').objectStore(UPDATES_STORE)
    const [values, keys] = await Promise.all([
      requestToPromise(store.getAll()),
      requestToPromise(store.getAllKeys()),
    ])
    const buffers = new Set<ArrayBuffer>()
    for (const v of values) if (v instanceof Uint8Array) buffers.add(v.buffer as ArrayBuffer)
    scope.postMessage({ ok: true, values, keys } satisfies ReadResponse, [...buffers])
  } catch (e) {
    scope.postMessage({ ok: false, stage: 'read', error: describeError(e) } satisfies ReadResponse)
  } finally {
    db.close()
  }
}

if (scope.name.startsWith(READ_WORKER_PREFIX))
  void read(scope.name.slice(READ_WORKER_PREFIX.length))
