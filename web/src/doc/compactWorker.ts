/// <reference lib="webworker" />
// The compaction Worker: merging a 100,000-row doc's updates takes seconds of CPU, which must not
// freeze the page. The main thread posts { workbookId, upTo }; we answer with the result or error.
import { compactUpdates } from './compactUpdates'
import { describeError, openDocDatabase } from './idb'

export interface CompactRequest {
  id: number
  workbookId: string
  upTo: number
}
export type CompactResponse =
  | { id: number; ok: true; merged: number; corrupt: number; keys: IDBValidKey[] }
  | { id: number; ok: false; error: string }

const scope = self as unknown as DedicatedWorkerGlobalScope
const dbs = new Map<string, IDBDatabase>()

scope.onmessage = async (ev: MessageEvent<CompactRequest>) => {
  const { id, workbookId, upTo } = ev.data
  try {
    let db = dbs.get(workbookId)
    if (!db) {
      db = await openDocDatabase(workbookId)
      const opened = db
      // Let the main thread delete the database: close our handle when asked to.
      opened.onversionchange = () => {
        opened.close()
        dbs.delete(workbookId)
      }
      dbs.set(workbookId, opened)
    }
    const r = await compactUpdates(db, upTo)
    scope.postMessage({
      id,
      ok: true,
      merged: r.merged,
      corrupt: r.corrupt,
      keys: r.keys,
    } satisfies CompactResponse)
  } catch (e) {
    scope.postMessage({ id, ok: false, error: describeError(e) } satisfies CompactResponse)
  }
}
