import * as Y from 'yjs'
import { requestToPromise, transactionDone, UPDATES_STORE } from './idb'

export interface CompactResult {
  /** How many records were merged into one. */
  merged: number
  /** Records that failed to decode and were dropped from the merge (they stay skipped on load too). */
  corrupt: number
  /** The keys of the records merged (all ≤ upTo; the merge is stored under upTo). */
  keys: IDBValidKey[]
}

/**
 * Merges every stored update with key ≤ `upTo` into one record stored under `upTo`, atomically.
 * Runs in the compaction Worker (and inline in tests): the read is one transaction and the rewrite
 * another, so records appended meanwhile (keys > upTo) are untouched, and a crash between the two
 * leaves the old records in place (the merge is simply redone next time).
 */
export async function compactUpdates(db: IDBDatabase, upTo: number): Promise<CompactResult> {
  const readTx = db.transaction(UPDATES_STORE, 'readonly')
  const range = IDBKeyRange.upperBound(upTo)
  const [values, keys] = (await Promise.all([
    requestToPromise(readTx.objectStore(UPDATES_STORE).getAll(range)),
    requestToPromise(readTx.objectStore(UPDATES_STORE).getAllKeys(range)),
  ])) as [unknown[], IDBValidKey[]]
  const good: Uint8Array[] = []
  let corrupt = 0
  for (const v of values) {
    if (!(v instanceof Uint8Array)) {
      corrupt++
      continue
    }
    try {
      // Decoding the update is the validity check: mergeUpdates would throw on the whole batch.
      Y.decodeUpdate(v)
      good.push(v)
    } catch {
      corrupt++
    }
  }
  if (values.length <= 1 && corrupt === 0) return { merged: values.length, corrupt, keys }
  const merged = good.length === 1 ? good[0]! : Y.mergeUpdates(good)
  const writeTx = db.transaction(UPDATES_STORE, 'readwrite', { durability: 'strict' })
  const store = writeTx.objectStore(UPDATES_STORE)
  store.delete(range)
  store.put(merged, upTo)
  await transactionDone(writeTx)
  return { merged: values.length, corrupt, keys }
}
