/**
 * Recovery after the server refused an update (issue 16 §3; docs/ARCHITECTURE.md "Recovery after a
 * refusal"). The session's socket is already stopped (openWorkbook.ts, message 101). Steps:
 *
 * 1. fetch the server's state: a second y-websocket connection with a fresh Y.Doc, closed at its
 *    first sync (the server answers sync step 1 with its full state, as to any new client);
 * 2. snapshot the local doc, then destroy the session (its IndexedDB writes are flushed and stop);
 * 3. `rebuildFromServer` (shared/src/access/rebuild.ts): server state + the pending changes still
 *    allowed, re-applied under a new client id; the others become list entries;
 * 4. save the list (IndexedDB), then replace the stored doc with the rebuilt state in one IndexedDB
 *    transaction, then the markers in localStorage (pending transactions, unacknowledged cells);
 * 5. the caller reloads the page, which opens the rebuilt doc and syncs it normally.
 *
 * A failure before step 4's doc transaction leaves the old doc stored: the next connection is
 * refused again and recovery runs again (list entries are keyed by place, so nothing doubles).
 */
import { type AccessIdentity, type Author, rebuildFromServer } from '@taizhang/shared'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  openDocDatabase,
  SCREEN_STORE,
  transactionDone,
  UPDATES_STORE,
  workbookStorageKey,
} from '../../doc/idb'
import type { WorkbookSession } from '../../doc/openWorkbook'
import { addRefused } from './refusedStore'
import { identityFromToken } from './tokenIdentity'

export const FETCH_TIMEOUT_MS = 20_000

/** The server's full state, from a throwaway connection with the session's URL and token. */
export function fetchServerState(
  p: WebsocketProvider,
  timeoutMs = FETCH_TIMEOUT_MS,
): Promise<Uint8Array> {
  const doc = new Y.Doc()
  const fetcher = new WebsocketProvider(p.serverUrl, p.roomname, doc, {
    params: { ...p.params },
    disableBc: true,
  })
  return new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no sync within ${timeoutMs} ms`)), timeoutMs)
    const finish = (err: Error | null) => {
      clearTimeout(timer)
      const state = err ? null : Y.encodeStateAsUpdate(doc)
      fetcher.destroy()
      doc.destroy()
      if (state) resolve(state)
      else reject(err)
    }
    fetcher.on('sync', (s: boolean) => {
      if (s) finish(null)
    })
  })
}

/** A failed recovery; `tornDown`: the session was already destroyed (reload to reopen the stored doc). */
export class RecoveryError extends Error {
  constructor(
    message: string,
    readonly tornDown: boolean,
  ) {
    super(message)
  }
}

export interface RecoveryOutcome {
  reapplied: number
  refused: number
}

export async function recoverSession(
  session: WorkbookSession,
  storage: Storage | null = globalThis.localStorage ?? null,
): Promise<RecoveryOutcome> {
  const p = session.provider
  if (!p) throw new RecoveryError('no connection to recover from', false)
  // Without IndexedDB the doc lives only in this page: a reload would lose it, so do not rebuild.
  if (!session.loaded.available)
    throw new RecoveryError('IndexedDB is unavailable on this device', false)
  let serverState: Uint8Array
  try {
    serverState = await fetchServerState(p)
  } catch (e) {
    throw new RecoveryError(e instanceof Error ? e.message : String(e), false)
  }
  // From here to destroy() nothing awaits, so no edit can slip between snapshot and teardown.
  const author = session.workbook.author()
  const who = identityFromToken(p.params.token, author.name)
  const localState = Y.encodeStateAsUpdate(session.doc)
  await session.destroy()
  try {
    return await rebuildAndStore(session.id, serverState, localState, who, author, storage)
  } catch (e) {
    throw new RecoveryError(e instanceof Error ? e.message : String(e), true)
  }
}

async function rebuildAndStore(
  workbookId: string,
  serverState: Uint8Array,
  localState: Uint8Array,
  who: AccessIdentity,
  author: Author,
  storage: Storage | null,
): Promise<RecoveryOutcome> {
  const local = new Y.Doc()
  Y.applyUpdate(local, localState)
  const r = rebuildFromServer({ serverState, local, who, author, now: Date.now() })
  local.destroy()

  await addRefused(workbookId, r.refused)
  const db = await openDocDatabase(workbookId)
  try {
    const tx = db.transaction([UPDATES_STORE, SCREEN_STORE], 'readwrite')
    tx.objectStore(UPDATES_STORE).clear()
    tx.objectStore(UPDATES_STORE).add(Y.encodeStateAsUpdate(r.doc))
    // The first-screen cache shows the old doc's rows: drop it; it is rebuilt after the next open.
    tx.objectStore(SCREEN_STORE).clear()
    await transactionDone(tx)
  } finally {
    db.close()
  }

  // Markers: the old client ids' pending ticks are gone from the doc (the server never had them),
  // so only the re-applied changes, under the new client id, wait for the server's acknowledgement.
  const client = r.doc.clientID
  const clock = Y.getState(r.doc.store, client)
  const key = (k: string) => workbookStorageKey(workbookId, k)
  if (storage) {
    try {
      const clients: unknown = JSON.parse(storage.getItem(key('clients')) ?? '[]')
      const ids = Array.isArray(clients) ? clients.filter((x) => typeof x === 'number') : []
      if (clock > 0 && !ids.includes(client)) ids.push(client)
      storage.setItem(key('clients'), JSON.stringify(ids))
      storage.setItem(key('pendingTx'), JSON.stringify(clock > 0 ? [[client, clock]] : []))
      storage.setItem(
        key('unacked'),
        JSON.stringify(r.reappliedCells.map((cell) => [cell, client, clock])),
      )
    } catch {
      // Advisory markers only; the rebuilt doc is stored.
    }
  }
  r.doc.destroy()
  return { reapplied: r.reapplied.length, refused: r.refused.length }
}
