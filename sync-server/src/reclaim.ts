/**
 * Gives memory back once large transient allocations are released: a dropped 100,000-row doc
 * (tens of MB of heap), the merged bytes of a cold room's read, an uploaded workbook's frames.
 *
 * Why: V8 returns such memory only on a later full GC, whose timing is its own (the memory
 * reducer waits for a quiet allocation rate, and on an idle server no allocation triggers one),
 * and the backing stores of freed ArrayBuffers are released after the GC that finds them dead. A
 * server that just served one big workbook and then went quiet would keep tens of MiB resident
 * for minutes. So when at least `minBytes` were released, a full GC runs `quietMs` after the
 * last release (each release pushes it back: no collection in the middle of a burst of work), and
 * a second one FOLLOW_UP_MS later: what the first found dead but released only afterwards (freed
 * ArrayBuffers' backing stores, swept pages) goes back with it. Measured on the server bench with
 * no GC of its own: 72–74 MiB settled after one, 62–63 (the idle size) after two.
 * `gc()` is one atomic full collection, whose pause grows with what is live: ~110 ms with one live
 * 100,000-row doc here, a few ms for an idle server. So it is skipped while the live docs are
 * larger than `maxLiveBytes` (V8's own incremental collections serve a busy server); the drop of
 * those docs later is a release of its own, and brings the next attempt.
 * Written by hand: a debounced call, no library does this for `gc`.
 *
 * `gc` is Node's `globalThis.gc`, present when Node runs with `--expose-gc` (the `taizhang`
 * launcher passes it); without it nothing happens and V8's own heuristics decide.
 */
/** Delay of the second, follow-up collection (see above). */
export const FOLLOW_UP_MS = 200

export class Reclaimer {
  private released = 0
  private timer: NodeJS.Timeout | null = null
  private followUp: NodeJS.Timeout | null = null
  /** Full GCs run so far (for metrics and tests). */
  runs = 0

  /** Full GCs skipped because too much was live. */
  skipped = 0

  constructor(
    private readonly gc: (() => void) | undefined,
    private readonly opts: {
      minBytes: number
      quietMs: number
      /** Encoded size of what is live now (the live docs). */
      liveBytes: () => number
      maxLiveBytes: number
    },
  ) {}

  /** Reports `bytes` of large allocations made unreachable just now. */
  note(bytes: number): void {
    if (!this.gc || bytes <= 0) return
    this.released += bytes
    if (this.released < this.opts.minBytes) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.run(), this.opts.quietMs)
    this.timer.unref()
  }

  private run(): void {
    this.timer = null
    if (this.opts.liveBytes() > this.opts.maxLiveBytes) {
      this.skipped++
      return
    }
    this.released = 0
    this.runs++
    this.gc?.()
    if (this.followUp) clearTimeout(this.followUp)
    this.followUp = setTimeout(() => {
      this.followUp = null
      this.gc?.()
    }, FOLLOW_UP_MS)
    this.followUp.unref()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.followUp) clearTimeout(this.followUp)
    this.timer = null
    this.followUp = null
  }
}
