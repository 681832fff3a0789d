/** What became of an editor's update (`unavailable`: the room could not read its storage). */
/** `attest-*`: refused by attestation (issue 13 §4), nothing stored. */
export type Accepted =
  | 'ok'
  | 'invalid'
  | 'unavailable'
  | 'attest-client-bound'
  | 'attest-binding-write'
  /** access (issue 16): refused by the access rules, nothing stored, the sender told. */
  | 'access-refused'

/** What the inbox asks of its room (`U`: an update as the room carries it, parsed once). */
export interface InboxHooks<U, O> {
  /**
   * Null while the room is live; while cold, whether `update` would change it (read from
   * storage, without reviving the doc; a rejection counts as "yes").
   */
  coldCheck(update: U): Promise<boolean> | null
  /** Whether the room holds a live doc now. */
  isLive(): boolean
  /** Revives the cold room's doc from storage (rejects if storage cannot be read). */
  revive(): Promise<void>
  /** Applies a parsed update to the live doc. */
  apply(update: U, origin: O): Accepted
  /** The inbox emptied (the room may be idle now). */
  settled(): void
}

interface Queued<U, O> {
  update: U
  origin: O
  done: (result: Accepted) => void
}

/**
 * Editors' updates waiting while a cold room checks them or revives its doc, applied in arrival
 * order: each is checked against storage (a reconnecting client's handshake usually brings
 * nothing new and is answered without a revive); the first that brings something revives the
 * doc once, and then everything queued is applied.
 */
export class Inbox<U, O> {
  private queue: Queued<U, O>[] = []
  private draining = false

  constructor(
    private readonly hooks: InboxHooks<U, O>,
    private readonly onReviveFailed: (err: unknown) => void,
  ) {}

  /** Whether nothing waits and nothing is being worked through. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.draining
  }

  /** Whether no update waits (a new one may be applied at once, keeping the order). */
  get empty(): boolean {
    return this.queue.length === 0
  }

  push(update: U, origin: O): Promise<Accepted> {
    return new Promise<Accepted>((done) => {
      this.queue.push({ update, origin, done })
      void this.drain()
    })
  }

  /** Answers everything waiting with `unavailable` (the room is being unloaded). */
  failAll(): void {
    for (const q of this.queue.splice(0)) q.done('unavailable')
  }

  private async drain(): Promise<void> {
    if (this.draining) return
    this.draining = true
    try {
      while (this.queue.length > 0) {
        const next = this.queue[0]!
        const check = this.hooks.coldCheck(next.update)
        if (check !== null) {
          let changes = true
          try {
            changes = await check
          } catch {
            // It parsed: let the apply decide.
          }
          if (!changes && !this.hooks.isLive()) {
            // Still cold and nothing new: answered without a revive.
            this.queue.shift()
            next.done('ok')
            continue
          }
          if (!this.hooks.isLive()) {
            try {
              await this.hooks.revive()
            } catch (err) {
              this.onReviveFailed(err)
              this.failAll()
              break
            }
          }
        }
        if (this.hooks.isLive()) {
          const queued = this.queue
          this.queue = []
          for (const q of queued) q.done(this.hooks.apply(q.update, q.origin))
        }
      }
    } finally {
      this.draining = false
      this.hooks.settled()
    }
  }
}
