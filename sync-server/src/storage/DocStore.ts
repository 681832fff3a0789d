/**
 * Durable home for a room's Yjs updates. `rooms.ts` sees only this interface, never the file system.
 *
 * Contract (checked by `docStore.contract.ts` for every implementation):
 * - Operations on one room take effect in call order; a resolved `append`/`compact` is durable
 *   (survives a crash of the process, and of the machine where the engine allows).
 * - `compact` is atomic: after a crash, `load` returns either the old records or the merged one.
 */
export interface DocStore {
  /** Every stored update of `room`, oldest first; `[]` if the room is unknown. */
  load(room: string): Promise<Uint8Array[]>
  /** Appends one update (usually a merged batch) and makes it durable before resolving. */
  append(room: string, update: Uint8Array): Promise<void>
  /** Atomically replaces everything stored for `room` with `merged`. */
  compact(room: string, merged: Uint8Array): Promise<void>
  /** Names of all rooms with stored data, sorted. */
  list(): Promise<string[]>
  /** Waits for queued operations, then releases the engine. Later calls reject. */
  close(): Promise<void>
}

function startNow<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task()
  } catch (err) {
    return Promise.reject(err)
  }
}

/** Runs tasks one after another per key; one key's failure does not block the next task. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key)
    // An idle key starts its task now (an append reaches LevelDB in the caller's turn), else after
    // the tasks before it.
    const next = prev !== undefined ? prev.then(task, task) : startNow(task)
    // The tail swallows the error: the caller still gets it through `next`.
    const tail = next.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return next
  }

  /** Resolves once every task queued so far has settled. */
  async drain(): Promise<void> {
    await Promise.all([...this.tails.values()])
  }
}
