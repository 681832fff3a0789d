/**
 * Group commit: writes that arrive while one write is in flight are coalesced into the next one,
 * so one fsync makes all of them durable. The first write after a quiet spell starts at once (no
 * batch window: a lone edit pays nothing). Written by hand: classic-level has no such queue, and
 * LevelDB's own writer queue only merges the batches that reach it concurrently, i.e. at most the
 * four the libuv thread pool runs at a time, each with its own thread hop.
 *
 * Every caller of a group gets the group's outcome: all resolve once the one write is durable, or
 * all reject with its error. Order: a caller's operations go into the write in the order `add` was
 * called, and groups are written one after another.
 */
export class GroupCommit<Op> {
  private queue: Array<{ ops: Op[]; resolve: () => void; reject: (err: unknown) => void }> = []
  private running = false

  /** `write` makes a list of operations durable at once (one atomic, synced batch). */
  constructor(private readonly write: (ops: Op[]) => Promise<void>) {}

  /** Resolves when `ops` (and the rest of their group) are durable; rejects if that write failed. */
  add(ops: Op[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ops, resolve, reject })
      if (!this.running) void this.run()
    })
  }

  private async run(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0) {
        const group = this.queue
        this.queue = []
        const ops = group.length === 1 ? group[0]!.ops : group.flatMap((g) => g.ops)
        try {
          await this.write(ops)
        } catch (err) {
          for (const g of group) g.reject(err)
          continue
        }
        for (const g of group) g.resolve()
      }
    } finally {
      this.running = false
    }
  }
}
