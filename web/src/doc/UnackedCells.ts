import { workbookStorageKey } from './idb'

/**
 * Which cells this device edited that the server has not yet acknowledged as durable. Each entry
 * remembers the Yjs (client, clock) its edit needs covered; an ack with durable[client] ≥ clock
 * clears it. Kept in localStorage so the markers survive an offline reload.
 */
export interface UnackedEntry {
  client: number
  clock: number
}

export class UnackedCells {
  private readonly cells = new Map<string, UnackedEntry>()
  private listeners = new Set<(changedKeys: string[]) => void>()
  // attestation (issue 13 §4): this device's client ids seen in markers and the last durable
  // state vector, so the history can tell an own edit the server has not confirmed yet.
  private readonly own = new Set<number>()
  private durable: ReadonlyMap<number, number> | null = null

  constructor(private readonly storageKey: string | null) {
    if (!storageKey) return
    try {
      const raw = localStorage.getItem(storageKey)
      const parsed: unknown = raw ? JSON.parse(raw) : []
      if (Array.isArray(parsed)) {
        for (const e of parsed) {
          if (
            Array.isArray(e) &&
            typeof e[0] === 'string' &&
            typeof e[1] === 'number' &&
            typeof e[2] === 'number'
          ) {
            this.cells.set(e[0], { client: e[1], clock: e[2] })
            this.own.add(e[1])
          }
        }
      }
    } catch {
      // A damaged entry only loses markers, never data: start empty.
    }
  }

  /** Where a workbook's markers are kept in localStorage. */
  static storageKey(workbookId: string): string {
    return workbookStorageKey(workbookId, 'unacked')
  }

  static key(sheetId: string, rowId: string, colId: string): string {
    return sheetId + '\u0000' + rowId + '\u0000' + colId
  }

  has(sheetId: string, rowId: string, colId: string): boolean {
    return this.cells.has(UnackedCells.key(sheetId, rowId, colId))
  }

  get size(): number {
    return this.cells.size
  }

  /** Rows of one sheet with at least one unacknowledged cell. */
  rowsOf(sheetId: string): Set<string> {
    const out = new Set<string>()
    const prefix = sheetId + '\u0000'
    for (const k of this.cells.keys()) if (k.startsWith(prefix)) out.add(k.split('\u0000')[1]!)
    return out
  }

  mark(keys: Iterable<string>, entry: UnackedEntry): void {
    this.own.add(entry.client)
    const changed: string[] = []
    for (const k of keys) {
      this.cells.set(k, entry)
      changed.push(k)
    }
    if (changed.length) this.changed(changed)
  }

  /** Clears every entry the durable state vector covers. */
  acknowledge(durable: ReadonlyMap<number, number>): void {
    this.durable = durable
    const changed: string[] = []
    for (const [k, e] of this.cells) {
      if ((durable.get(e.client) ?? 0) >= e.clock) {
        this.cells.delete(k)
        changed.push(k)
      }
    }
    if (changed.length) this.changed(changed)
  }

  /**
   * Whether the Yjs item (client, clock) is an edit of this device the server has not acknowledged
   * yet (待服务器确认): a server receipt of an earlier run of the same client id says nothing of it.
   */
  isUnconfirmed(client: number, clock: number): boolean {
    if (!this.own.has(client)) return false
    return (this.durable?.get(client) ?? 0) <= clock
  }

  onChange(cb: (changedKeys: string[]) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private saveTimer: ReturnType<typeof setTimeout> | null = null

  private changed(keys: string[]): void {
    for (const cb of this.listeners) cb(keys)
    if (!this.storageKey || this.saveTimer) return
    this.saveTimer = setTimeout(() => this.save(), 200)
  }

  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    if (!this.storageKey) return
    try {
      const data = [...this.cells].map(([k, e]) => [k, e.client, e.clock])
      localStorage.setItem(this.storageKey, JSON.stringify(data))
    } catch {
      // Out of localStorage space: markers are advisory, the data itself is in IndexedDB.
    }
  }
}
