/**
 * How many of this device's changes the server has not made durable yet (the status bar's count),
 * kept across reloads: the Yjs client ids this device wrote with, the server's last durable state
 * vector, and one [client, end clock] per local transaction, in the workbook's localStorage
 * namespace. Split out of openWorkbook.ts, which owns the doc and feeds this its events.
 */
import { type Accessor, createSignal } from 'solid-js'
import * as Y from 'yjs'
import { countPending, stateVectorFromJson, stateVectorToJson } from './syncStatus'

export function storageGet(storage: Storage | null, key: string): unknown {
  if (!storage) return null
  try {
    const raw = storage.getItem(key)
    return raw ? JSON.parse(raw) : null
  } catch {
    return null
  }
}

export function storageSet(storage: Storage | null, key: string, value: unknown): void {
  if (!storage) return
  try {
    storage.setItem(key, JSON.stringify(value))
  } catch {
    // Advisory data only (durable vector, client ids); the doc itself is in IndexedDB.
  }
}

export interface PendingChanges {
  /** Local changes not yet durable on the server (null before the first count). */
  pending: Accessor<number | null>
  /** Notes that this device writes with the doc's current client id. */
  remember(): void
  /** A local transaction ended at `clock` of the doc's client id. */
  noteLocal(clock: number): void
  /** The server acknowledged everything up to `sv` as durable. */
  setDurable(sv: Map<number, number>): void
  /** Writes the debounced list now (pagehide, destroy). */
  saveNow(): void
}

/** `key` maps a name to the workbook's localStorage key (`workbookStorageKey`). */
export function makePendingChanges(
  doc: Y.Doc,
  storage: Storage | null,
  key: (k: string) => string,
): PendingChanges {
  // Every Yjs client id this device has written with, so pending counts survive reloads.
  const ownClients = new Set<number>(
    (storageGet(storage, key('clients')) as number[] | null)?.filter(
      (x) => typeof x === 'number',
    ) ?? [],
  )
  let durable = stateVectorFromJson(storageGet(storage, key('durable')))
  // Each local transaction that changed the doc is one "change" for the user; it is durable once
  // the server's durable state vector covers its end clock. The clock arithmetic decides "synced".
  let pendingTx: [number, number][] =
    (storageGet(storage, key('pendingTx')) as [number, number][] | null)?.filter(
      (e) => Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'number',
    ) ?? []
  const [pending, setPending] = createSignal<number | null>(null)
  // Written at most every 500 ms (and on pagehide/destroy): a JSON write per keystroke-level
  // edit cost ~1 ms each with thousands of unacknowledged transactions.
  let saveTimer: ReturnType<typeof setTimeout> | null = null
  const saveNow = () => {
    if (saveTimer !== null) clearTimeout(saveTimer)
    saveTimer = null
    storageSet(storage, key('pendingTx'), pendingTx)
  }
  const saveSoon = () => {
    if (saveTimer === null) saveTimer = setTimeout(saveNow, 500)
  }
  const recompute = () => {
    const local = Y.decodeStateVector(Y.encodeStateVector(doc))
    const ticks = countPending(local, durable, ownClients) ?? 0
    if (durable) {
      const d = durable
      pendingTx = pendingTx.filter(([client, clock]) => (d.get(client) ?? 0) < clock)
    }
    saveSoon()
    setPending(ticks === 0 ? 0 : Math.max(1, pendingTx.length))
  }
  recompute()
  const remember = () => {
    if (ownClients.has(doc.clientID)) return
    ownClients.add(doc.clientID)
    storageSet(storage, key('clients'), [...ownClients])
  }
  return {
    pending,
    remember,
    noteLocal(clock) {
      remember()
      const last = pendingTx[pendingTx.length - 1]
      if (!last || last[0] !== doc.clientID || last[1] !== clock)
        pendingTx.push([doc.clientID, clock])
      recompute()
    },
    setDurable(sv) {
      durable = sv
      storageSet(storage, key('durable'), stateVectorToJson(sv))
      recompute()
    },
    saveNow,
  }
}
