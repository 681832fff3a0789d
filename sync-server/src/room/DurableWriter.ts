import type { Logger } from 'pino'
import type { Limits } from '../limits.js'
import type { Metrics } from '../metrics.js'
import type { DocStore } from '../storage/DocStore.js'
import { type Clock, sleep, type Timer } from './clock.js'
import { mergeMany } from './yjsUpdates.js'

export interface DurableWriterDeps {
  store: DocStore
  log: Logger
  metrics: Metrics
  limits: Limits
  clock: Clock
}

/** What the writer asks of its room. */
export interface DurableWriterHooks<P> {
  /** The encoded state vector of everything applied so far (all of it is pending or stored). */
  stateVector(): Uint8Array
  /**
   * Called just before a batch is written, with the state vector that will be durable once it is
   * stored: whatever must be framed ahead of the write (the ack).
   */
  prepare(durableSv: Uint8Array): P
  /** The batch is durable: `durableSv` is now covered by storage. */
  durable(prepared: P, durableSv: Uint8Array, merged: Uint8Array): void
  /** The doc's full state (for compaction), or null while the room holds no live doc. */
  fullState(): Uint8Array | null
  /** The write loop stopped (idle, or given up at shutdown). */
  settled(): void
}

/**
 * A room's durable writer: accepted updates go into the next batch; one batch is written at a time
 * (group commit: everything accepted while a write is in flight goes into the next one), appended
 * with retry (the room stays loaded and nothing is acknowledged while storage fails), and the
 * stored records are compacted into one after COMPACT_AFTER_APPENDS appends.
 */
export class DurableWriter<P> {
  /** Accepted updates as they were sent, stored merged with their batch. */
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private loop: Promise<void> | null = null
  private batchTimer: Timer | null = null
  /** Appends since the stored records were last compacted into one. */
  appendsSinceCompact = 0
  /** Set at shutdown: stop retrying failed writes after this time (clock ms). */
  giveUpAt = Number.POSITIVE_INFINITY

  constructor(
    private readonly room: string,
    private readonly deps: DurableWriterDeps,
    private readonly hooks: DurableWriterHooks<P>,
  ) {}

  /** Whether nothing is pending or being written. */
  get idle(): boolean {
    return this.loop === null && this.pending.length === 0
  }

  /** Queues an applied update for the next batch. */
  enqueue(...updates: Uint8Array[]): void {
    // Several at once (an edit and the server's attestation of it) go into the same batch.
    for (const update of updates) {
      this.pending.push(update)
      this.pendingBytes += update.length
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.loop !== null) return // the loop picks the batch up when the write in flight finishes
    const { limits } = this.deps
    if (this.pendingBytes >= limits.BATCH_MAX_BYTES || limits.BATCH_WINDOW_MS <= 0) {
      // No window: the write starts now, inside this frame's handling (down to LevelDB's native
      // call), not after the rest of the socket's read and a turn of the event loop (~0.1 ms).
      // Frames arriving while it is in flight form the next batch.
      this.batchTimer?.cancel()
      this.batchTimer = null
      void this.flush()
      return
    }
    if (this.batchTimer) return
    this.batchTimer = this.deps.clock.after(limits.BATCH_WINDOW_MS, () => {
      this.batchTimer = null
      void this.flush()
    })
  }

  /** Writes everything pending, batch after batch; resolves when idle (or when giving up). */
  flush(): Promise<void> {
    this.batchTimer?.cancel()
    this.batchTimer = null
    this.loop ??= this.run().finally(() => {
      this.loop = null
      this.hooks.settled()
    })
    return this.loop
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending
      this.pending = []
      this.pendingBytes = 0
      // Every update applied so far is in this batch or an earlier one, so once this batch is
      // stored the doc's current state vector is durable.
      const sv = this.hooks.stateVector()
      const merged = batch.length === 1 ? batch[0]! : mergeMany(batch)
      const prepared = this.hooks.prepare(sv)
      const stored = await this.appendWithRetry(merged)
      if (!stored) {
        // Shutdown deadline passed: these were never acknowledged, so nothing acked is lost.
        this.deps.log.error({ room: this.room, updates: batch.length }, 'gave up unstored updates')
        return
      }
      this.hooks.durable(prepared, sv, merged)
      this.appendsSinceCompact++
      if (this.appendsSinceCompact >= this.deps.limits.COMPACT_AFTER_APPENDS) await this.compact()
    }
  }

  private async appendWithRetry(update: Uint8Array): Promise<boolean> {
    const { store, metrics, log, limits, clock } = this.deps
    let delay = limits.RETRY_MIN_MS
    for (;;) {
      const t0 = performance.now()
      try {
        await store.append(this.room, update)
        metrics.appendSeconds.observe((performance.now() - t0) / 1000)
        return true
      } catch (err) {
        metrics.appendFailures++
        // Keep the room loaded and the updates unacknowledged: unloading would lose them.
        log.error({ err, room: this.room, retryInMs: delay }, 'storage append failed; retrying')
        if (clock.now() + delay > this.giveUpAt) return false
        await sleep(clock, delay)
        delay = Math.min(delay * 2, limits.RETRY_MAX_MS)
      }
    }
  }

  /** Replaces the stored records with the doc's full state; failures only delay compaction. */
  async compact(): Promise<void> {
    const full = this.hooks.fullState()
    if (full) await this.compactWith(full)
  }

  /** Replaces the stored records with `full` (the room's whole state). */
  async compactWith(full: Uint8Array): Promise<void> {
    const { store, metrics, log } = this.deps
    try {
      await store.compact(this.room, full)
      this.appendsSinceCompact = 0
      metrics.compactions++
    } catch (err) {
      metrics.compactionFailures++
      log.error({ err, room: this.room }, 'compaction failed; records kept')
    }
  }

  /** Cancels the batch timer (the room is being unloaded; pending updates were flushed). */
  destroy(): void {
    this.batchTimer?.cancel()
    this.batchTimer = null
  }
}
