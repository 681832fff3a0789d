/**
 * Starts reading a workbook's stored records at boot (web/src/main.tsx), before the rest of the
 * app is even loaded, so the IndexedDB read overlaps loading and evaluating the app's code.
 * The records are read in a Worker (`readWorker.ts`), so the main thread is free meanwhile.
 * `openWorkbook` takes the result; a read nobody takes is closed after a while.
 */
import { READ_WORKER_PREFIX, readStoredRecordsOffThread, type StoredRecords } from './idb'
import ReadWorker from './readWorker?worker&inline'

/** A prefetched read nobody took by then (the user went elsewhere) lets its database go. */
const UNCLAIMED_MS = 30_000

const prefetched = new Map<string, Promise<StoredRecords>>()
/** Per workbook, the last read started here: resolves once its requests are issued. */
const issued = new Map<string, Promise<void>>()

export function prefetchDoc(workbookId: string): void {
  if (typeof indexedDB === 'undefined' || prefetched.has(workbookId)) return
  let markIssued = () => {}
  issued.set(workbookId, new Promise<void>((r) => (markIssued = r)))
  const read = readStoredRecordsOffThread(
    workbookId,
    (id) => new ReadWorker({ name: READ_WORKER_PREFIX + id }),
    () => markIssued(),
  )
  prefetched.set(workbookId, read)
  setTimeout(() => {
    if (prefetched.get(workbookId) !== read) return
    prefetched.delete(workbookId)
    void read.then((r) => {
      if (r.ok) r.db.close()
    })
  }, UNCLAIMED_MS)
}

/** The prefetched read of this workbook, if one was started and not yet taken. */
export function takePrefetchedDoc(workbookId: string): Promise<StoredRecords> | undefined {
  const read = prefetched.get(workbookId)
  prefetched.delete(workbookId)
  return read
}

/**
 * Resolves when the last read started by `prefetchDoc` for this workbook has issued its requests
 * (the main thread is then free until the records arrive); undefined if none was started.
 */
export function whenReadIssued(workbookId: string): Promise<void> | undefined {
  return issued.get(workbookId)
}
