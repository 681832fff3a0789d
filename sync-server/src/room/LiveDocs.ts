import type { Clock } from './clock.js'

/** What LiveDocs needs of a room. */
export interface LiveDocHolder {
  /** The live doc's rough size (bytes it was built from and appended since); 0 when cold. */
  readonly liveBytes: number
  /** Drops the live doc if nothing is pending; returns whether the room is cold now. */
  dropDoc(): boolean
}

/**
 * The rooms holding a live Y.Doc, least recently written first. When more than `max` are live, the
 * least recently written idle ones drop their docs at once instead of after DOC_IDLE_MS, so memory
 * stays bounded however many workbooks are written at the same time; a doc written in the last
 * `minIdleMs` is kept (rooms written together would otherwise drop and revive each other's docs
 * on every batch).
 */
export class LiveDocs {
  /** Room → when it was last written or revived (ms), oldest first. */
  private readonly order = new Map<LiveDocHolder, number>()
  constructor(
    private readonly max: number,
    private readonly minIdleMs = 0,
    private readonly clock: Pick<Clock, 'now'> = { now: () => Date.now() },
  ) {}

  get size(): number {
    return this.order.size
  }

  /** `room` holds a live doc and was just written (or revived). */
  touch(room: LiveDocHolder): void {
    const now = this.clock.now()
    this.order.delete(room)
    this.order.set(room, now)
    if (this.order.size <= this.max) return
    for (const [other, at] of this.order) {
      if (this.order.size <= this.max || now - at < this.minIdleMs) break
      if (other !== room) other.dropDoc() // no-op while its writes are pending
    }
  }

  forget(room: LiveDocHolder): void {
    this.order.delete(room)
  }

  /** The live docs' rough size in all (bytes they were built from and appended since). */
  bytes(): number {
    let sum = 0
    for (const room of this.order.keys()) sum += room.liveBytes
    return sum
  }
}
