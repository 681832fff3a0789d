/**
 * The 未被接受的修改 list of each workbook, kept in IndexedDB (its own small database, one record
 * per workbook) so a reload, or closing the browser, keeps it. A solid signal per workbook lets the
 * toolbar badge, the toast and the panel follow it.
 */
import { mergeRefused, type RefusedEdit } from '@taizhang/shared'
import { type Accessor, createSignal, type Setter } from 'solid-js'
import { openDatabase, requestToPromise, transactionDone } from '../../doc/idb'

export const REFUSED_DB = 'taizhang-refused'
const STORE = 'lists'

function openRefusedDb(): Promise<IDBDatabase> {
  return openDatabase(REFUSED_DB, 1, (db) => {
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE)
  })
}

function isEntry(x: unknown): x is RefusedEdit {
  if (!x || typeof x !== 'object') return false
  const e = x as Record<string, unknown>
  return typeof e.id === 'string' && typeof e.kind === 'string' && typeof e.reason === 'string'
}

export async function readRefused(workbookId: string): Promise<RefusedEdit[]> {
  const db = await openRefusedDb()
  try {
    const v = await requestToPromise(
      db.transaction(STORE, 'readonly').objectStore(STORE).get(workbookId),
    )
    return Array.isArray(v) ? v.filter(isEntry) : []
  } finally {
    db.close()
  }
}

/** Replaces the workbook's list; resolves once it is committed. */
export async function writeRefused(
  workbookId: string,
  list: readonly RefusedEdit[],
): Promise<void> {
  const db = await openRefusedDb()
  try {
    const tx = db.transaction(STORE, 'readwrite')
    if (list.length === 0) tx.objectStore(STORE).delete(workbookId)
    else tx.objectStore(STORE).put(JSON.parse(JSON.stringify(list)), workbookId)
    await transactionDone(tx)
  } finally {
    db.close()
  }
}

/** Adds entries (an entry of the same place is replaced by the newer one) and saves. */
export async function addRefused(
  workbookId: string,
  entries: readonly RefusedEdit[],
): Promise<RefusedEdit[]> {
  const next = mergeRefused(await readRefused(workbookId), entries)
  await writeRefused(workbookId, next)
  listOf(workbookId).set(next)
  return next
}

const lists = new Map<string, { get: Accessor<RefusedEdit[]>; set: Setter<RefusedEdit[]> }>()

function listOf(workbookId: string) {
  let l = lists.get(workbookId)
  if (!l) {
    const [get, set] = createSignal<RefusedEdit[]>([])
    l = { get, set }
    lists.set(workbookId, l)
    // Loaded once per page; a failure leaves the list empty on screen, the stored one untouched.
    void readRefused(workbookId)
      .then((v) => l?.set(v))
      .catch(() => {})
  }
  return l
}

/** The workbook's list as a signal (loaded from IndexedDB on first use). */
export function refusedList(workbookId: string): Accessor<RefusedEdit[]> {
  return listOf(workbookId).get
}

/** Sets and saves the workbook's list (after re-applying entries). */
export async function saveRefused(workbookId: string, list: readonly RefusedEdit[]): Promise<void> {
  listOf(workbookId).set([...list])
  await writeRefused(workbookId, list)
}
