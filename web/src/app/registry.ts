import { openDatabase, requestToPromise, transactionDone } from '../doc/idb'

/** One workbook known on this device. The doc itself lives in its own database. */
export interface WorkbookEntry {
  id: string
  title: string
  createdAt: number
  lastOpened: number
  /** The token this device uses for the workbook (from a share link or the workspace token). */
  token?: string | null
  role?: 'editor' | 'viewer'
  /** Local changes not yet durable on the server, as last seen (null: unknown / never synced). */
  pending?: number | null
  /** Whether the workbook has ever been acknowledged by a server. */
  everSynced?: boolean
  /** Made from the demo data. */
  demo?: boolean
}

const REGISTRY_DB = 'taizhang-registry'
const STORE = 'workbooks'
const WORKSPACE_TOKEN_KEY = 'taizhang.workspaceToken'

function openRegistry(): Promise<IDBDatabase> {
  return openDatabase(REGISTRY_DB, 1, (db) => {
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' })
  })
}

async function withStore<T>(
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T | undefined> {
  const db = await openRegistry()
  try {
    const tx = db.transaction(STORE, mode)
    const req = fn(tx.objectStore(STORE))
    const result = req ? await requestToPromise(req) : undefined
    await transactionDone(tx)
    return result
  } finally {
    db.close()
  }
}

export async function listWorkbooks(): Promise<WorkbookEntry[]> {
  const all = ((await withStore('readonly', (s) => s.getAll())) ?? []) as WorkbookEntry[]
  return all.sort((a, b) => b.lastOpened - a.lastOpened)
}

export async function getWorkbookEntry(id: string): Promise<WorkbookEntry | undefined> {
  return (await withStore('readonly', (s) => s.get(id))) as WorkbookEntry | undefined
}

export async function putWorkbookEntry(entry: WorkbookEntry): Promise<void> {
  await withStore('readwrite', (s) => s.put(entry))
}

/** Merges a patch into an entry (creating it with defaults if missing). */
export async function updateWorkbookEntry(
  id: string,
  patch: Partial<WorkbookEntry>,
): Promise<WorkbookEntry> {
  const prev = await getWorkbookEntry(id)
  const now = Date.now()
  const next: WorkbookEntry = {
    id,
    title: '',
    createdAt: now,
    lastOpened: now,
    ...prev,
    ...patch,
  }
  await putWorkbookEntry(next)
  return next
}

export async function removeWorkbookEntry(id: string): Promise<void> {
  await withStore('readwrite', (s) => s.delete(id))
}

/** The token that covers every workbook (`*`), from the server's first-run link. */
export function getWorkspaceToken(): string | null {
  try {
    return localStorage.getItem(WORKSPACE_TOKEN_KEY)
  } catch {
    return null
  }
}

export function setWorkspaceToken(token: string): void {
  try {
    localStorage.setItem(WORKSPACE_TOKEN_KEY, token)
  } catch {
    // Only this session will have it.
  }
}
