/**
 * Starts reading a workbook's stored records at boot (web/src/main.tsx), before the rest of the
 * app is even loaded, so the IndexedDB read overlaps loading and evaluating the app's code.
 * `openWorkbook` takes the result; a read nobody takes is closed after a while.
 */
import { readStoredRecords, type StoredRecords } from './idb'

/** A prefetched read nobody took by then (the user went elsewhere) lets its database go. */
const UNCLAIMED_MS = 30_000

const prefetched = new Map<string, Promise<StoredRecords>>()

export function prefetchDoc(workbookId: string): void {
  if (typeof indexedDB === 'undefined' || prefetched.has(workbookId)) return
  const read = readStoredRecords(workbookId)
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
