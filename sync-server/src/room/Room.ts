import { writeDurableMessage } from '@taizhang/shared'
import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { Attester } from '../attest/Attester.js'
import type { AttestMode } from '../attest/checkUpdate.js'
import type { Limits } from '../limits.js'
import type { Metrics } from '../metrics.js'
import type { Peer } from '../Peer.js'
import type { AccessPolicy } from '../policy/AccessPolicy.js'
import type { DocStore } from '../storage/DocStore.js'
import { frameBinary, type WireMessage } from '../wsFrame.js'
import { type Admission, admit, type Incoming, parseIncoming, warmAdmission } from './admission.js'
import { type Clock, systemClock, type Timer } from './clock.js'
import {
  coldFromDoc,
  coldFromStored,
  type DocState,
  type LiveState,
  liveFromRecords,
} from './DocState.js'
import { DurableWriter } from './DurableWriter.js'
import { type Accepted, Inbox } from './Inbox.js'
import type { LiveDocs } from './LiveDocs.js'
import { Presence, type PresenceVerdict } from './Presence.js'
import { StoredReads } from './StoredReads.js'
import {
  awarenessMessage,
  EMPTY_UPDATE,
  isEmptyUpdate,
  syncUpdateMessage,
  wouldChangeDoc,
} from './yjsUpdates.js'

export interface RoomDeps {
  store: DocStore
  log: Logger
  metrics: Metrics
  limits: Limits
  /** Caps the live docs of the process (rooms share one). */
  liveDocs: LiveDocs
  /** Told how many bytes of large allocations were just let go (`Reclaimer.note`). */
  released?: (bytes: number) => void
  /** Time and timers; the system clock unless a test drives its own. */
  clock?: Clock
  /** Where this server's updates and presence go to reach other servers (the cluster bus). */
  relay?: RoomRelay
  /** access (issue 16): rules checked on every client update before it is applied. */
  policy?: AccessPolicy
  /** Attestation (issue 13 §4): checks client updates and records bindings and receive times. */
  attester?: Attester
}

/**
 * What leaves a room: an update this server accepted, or a presence change. Local peers get it at
 * once; `RoomRelay.publish` gets the same, for the peers of other servers.
 */
export type RoomOutbound =
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }

/**
 * The seam for a cross-server bus (issue #17, the cluster). Every update a room accepts from its
 * own peers and every change of its peers' presence goes out through `Room.emit`, which calls
 * `publish` once per message (after the local sends); what other servers publish comes back in
 * through `Room.receiveRemote`, which never publishes again (no echo loops).
 */
export interface RoomRelay {
  publish(room: string, out: RoomOutbound): void
  // cluster (issue #17): the bus watches a room's stream from before its store read, so nothing
  // published meanwhile is missed, and stops at its unload (`Rooms` calls both).
  /** Called by `Rooms` before a room is read from the store. */
  beforeLoad?(room: string): Promise<void>
  /** Called by `Rooms` once a room is unloaded. */
  unloaded?(room: string): void
}

/** Who an accepted update came from: a local peer, or another server (through the relay). */
type Origin = Peer | typeof REMOTE
const REMOTE = Symbol('remote')

/**
 * A loaded workbook: its state (cold or live, `DocState`), presence, peers, and the durable writer
 * that makes every accepted update durable (group commit) after it is broadcast and before it
 * is acknowledged. Only this class changes a room's fields; `Rooms` (the registry) decides when a
 * room is unloaded.
 *
 * Past the ~400-line guide (≈500 lines, a third of them comments) on purpose: it is the one owner
 * of a room's state (issue #17 §0), so the state transitions (revive, drop), accepting an update
 * and the cluster seam stay together; each job with state of its own is in its own module beside
 * it (DurableWriter, Inbox, StoredReads, Presence), and what an update must pass before it is
 * applied is in `admission.ts`.
 */
export class Room {
  private readonly peerSet = new Set<Peer>()
  private readonly presence: Presence
  private state: DocState
  /** Encoded state vector of what storage holds (everything acked is covered). */
  private durable: Uint8Array
  private readonly writer: DurableWriter<WireMessage | null>
  private readonly reads: StoredReads
  private readonly clock: Clock
  /** Bumped by every accepted change (invalidates the cached encoding). */
  private gen = 0
  private lastWriteAt = 0
  private docTimer: Timer | null = null
  /** Editors' updates waiting while the cold room checks them or revives its doc. */
  private readonly inbox: Inbox<Incoming, Origin>
  /** Unloaded: a storage read still in flight must not bring the doc back. */
  private destroyed = false
  private idleWaiters: Array<() => void> = []

  constructor(
    readonly name: string,
    stored: Uint8Array[],
    private readonly deps: RoomDeps,
  ) {
    this.clock = deps.clock ?? systemClock
    this.reads = new StoredReads(name, deps.store, deps.released)
    this.writer = new DurableWriter(
      name,
      { ...deps, clock: this.clock },
      {
        stateVector: () => this.stateVector(),
        // The ack is framed before the write, so nothing but the sends stands between durability
        // and the acknowledgement.
        prepare: (sv) => (this.hasAckPeer() ? frameBinary(writeDurableMessage(sv)) : null),
        durable: (ack, sv, merged) => {
          this.durable = sv
          this.sendAcks(ack)
          if (this.state.kind === 'live') this.state.docBytes += merged.length
        },
        fullState: () => (this.state.kind === 'live' ? this.fullState() : null),
        settled: () => this.notifyIdle(),
      },
    )
    if (stored.length <= 1) {
      // One record (a compacted room): stay cold, keeping only its state vector.
      this.state = coldFromStored(stored[0] ?? EMPTY_UPDATE)
    } else {
      this.state = liveFromRecords(stored, this.gen)
      this.scheduleDocDrop()
      deps.liveDocs.touch(this)
    }
    this.durable = this.stateVector()
    this.writer.appendsSinceCompact = stored.length > 1 ? stored.length : 0
    this.inbox = new Inbox<Incoming, Origin>(
      {
        coldCheck: (update) => {
          const s = this.state
          if (s.kind === 'live') return null
          return this.reads.wouldChange(s, update.parsed.bytes, () => this.state === s)
        },
        isLive: () => this.state.kind === 'live',
        revive: () => this.revive(),
        apply: (update, origin) =>
          this.state.kind === 'live' ? this.applyLive(this.state, update, origin) : 'unavailable',
        settled: () => {
          if (this.idle) this.notifyIdle()
        },
      },
      (err) =>
        this.deps.log.error({ err, room: this.name }, 'reviving the doc from storage failed'),
    )
    this.presence = new Presence((update, origin) => {
      if (origin === REMOTE) this.sendAll(frameBinary(awarenessMessage(update)), null)
      else this.emit({ type: 'awareness', update })
    })
  }

  // ---- peers and presence ------------------------------------------------------------------

  /** The peers in the room now. */
  get peers(): ReadonlySet<Peer> {
    return this.peerSet
  }

  /** The room's awareness (read it; changes go through `applyPresence`). */
  get awareness(): Presence['awareness'] {
    return this.presence.awareness
  }

  /** Adds a peer (the registry cancels a pending unload first: `Rooms.join`). */
  join(peer: Peer): void {
    this.peerSet.add(peer)
    this.warm(peer)
  }

  /**
   * Prepares the access check for a writer who joined (admission.ts `warmAdmission`), after the
   * handshake's own work (next turn of the loop); a cold room does it when it revives.
   */
  private warm(peer: Peer): void {
    if (!this.deps.policy || peer.role === 'viewer') return
    setImmediate(() => {
      const s = this.state
      if (s.kind === 'live' && this.peerSet.has(peer) && !this.destroyed)
        warmAdmission(this.deps, this.name, s.doc, peer)
    })
  }

  /** Removes a peer and the presence it owned. */
  leave(peer: Peer): void {
    if (!this.peerSet.delete(peer)) return
    this.presence.leave(peer)
  }

  /** Everyone's presence as one awareness message, or undefined while there is none. */
  presenceMessage(): Uint8Array | undefined {
    return this.presence.message()
  }

  /** Applies what `peer` may set of an awareness update (throws on a malformed one). */
  applyPresence(peer: Peer, update: Uint8Array): PresenceVerdict {
    return this.presence.applyFrom(peer, update, this.deps.limits)
  }

  // ---- the one way out, and the one way in (the cluster seam) --------------------------------

  /**
   * THE way out for everything this server's peers change: sends `out` to the local peers (except
   * `skip`, its author) and hands it to the relay. An update goes out as soon as it is applied,
   * before it is durable (docs/SYNC.md, "Broadcast before durable").
   */
  private emit(out: RoomOutbound, skip: Peer | null = null): void {
    const msg = frameBinary(
      out.type === 'update' ? syncUpdateMessage(out.update) : awarenessMessage(out.update),
    )
    this.sendAll(msg, skip)
    this.deps.relay?.publish(this.name, out)
  }

  private sendAll(msg: WireMessage, skip: Peer | null): void {
    for (const p of this.peerSet) if (p !== skip) p.sendWire(msg)
  }

  /**
   * THE way in for what another server's peers changed (delivered by the cluster bus): an update
   * is validated, applied, made durable here too (Yjs ignores a duplicate; compaction folds it
   * away) and sent to the local peers; a presence change is applied and sent to the local peers.
   * Neither is published again.
   */
  receiveRemote(msg: RoomOutbound): Accepted | Promise<Accepted> {
    if (msg.type === 'awareness') {
      try {
        this.presence.applyRemote(msg.update, REMOTE)
      } catch {
        return 'invalid'
      }
      return 'ok'
    }
    return this.accept(msg.update, REMOTE)
  }

  // ---- state ---------------------------------------------------------------------------------

  /** Live: the doc's rough size (bytes it was built from and appended since); cold: 0. */
  get liveBytes(): number {
    return this.state.kind === 'live' ? this.state.docBytes : 0
  }

  /** Whether the room holds a live Y.Doc (false: only the state vector of what storage holds). */
  get isLive(): boolean {
    return this.state.kind === 'live'
  }

  /** Appends since the stored records were last compacted. */
  get appendsSinceCompact(): number {
    return this.writer.appendsSinceCompact
  }

  /** Encoded state vector of what storage holds (everything acknowledged is covered). */
  get durableSv(): Uint8Array {
    return this.durable
  }

  /** Encoded state vector of everything the room holds (applied, maybe not yet durable). */
  stateVector(): Uint8Array {
    return this.state.kind === 'live' ? Y.encodeStateVector(this.state.doc) : this.state.sv
  }

  /** The live doc's whole state as one update, cached until the next change (live rooms only). */
  fullState(): Uint8Array {
    const s = this.state
    if (s.kind !== 'live') throw new Error(`room ${this.name} is cold: its state is in storage`)
    if (s.bytesGen !== this.gen || !s.bytes) {
      s.bytes = Y.encodeStateAsUpdate(s.doc)
      s.bytesGen = this.gen
    }
    return s.bytes
  }

  /**
   * The sync step 2 payload for a client with state vector `sv` (encoded; throws at once if
   * malformed). Live: from the doc (a fresh client gets the cached full encoding). Cold: read from
   * storage (a fresh client gets the stored record as it is), or the cached delete-set update for
   * a client that already has every struct.
   */
  syncStep2(sv: Uint8Array): Uint8Array | Promise<Uint8Array> {
    const theirs = Y.decodeStateVector(sv)
    const s = this.state
    if (s.kind === 'live')
      return theirs.size === 0 ? this.fullState() : Y.encodeStateAsUpdate(s.doc, sv)
    return this.reads.syncStep2(s, theirs, sv, () => this.state === s)
  }

  /** Revives the doc from storage (the room is cold, so storage holds everything it has). */
  private async revive(): Promise<void> {
    const t0 = performance.now()
    const records = await this.deps.store.load(this.name)
    if (this.state.kind !== 'cold' || this.destroyed) return
    const { sv: storedWhenCold, svMap: was } = this.state
    const live = this.becomeLive(records, t0)
    // cluster (issue #17): a shared store may hold what other servers stored while this room was
    // cold (their broadcasts reached this server only as the update that made it revive, which
    // then brings nothing new); the local peers were never sent that, so they get it now.
    const now = Y.decodeStateVector(Y.encodeStateVector(live.doc))
    if ([...now].some(([client, clock]) => clock > (was.get(client) ?? 0)))
      this.sendAll(
        frameBinary(syncUpdateMessage(Y.encodeStateAsUpdate(live.doc, storedWhenCold))),
        null,
      )
  }

  /** Makes the cold room live with a doc holding `records` (what storage holds). */
  private becomeLive(records: Uint8Array[], t0: number): LiveState {
    const live = liveFromRecords(records, this.gen)
    this.state = live
    if (records.length > 1) {
      this.writer.appendsSinceCompact = Math.max(this.writer.appendsSinceCompact, records.length)
    }
    this.deps.metrics.docRevivals++
    for (const peer of this.peerSet) this.warm(peer)
    this.deps.liveDocs.touch(this)
    this.deps.log.debug(
      { room: this.name, ms: Math.round(performance.now() - t0) },
      'doc revived from storage',
    )
    this.scheduleDocDrop()
    return live
  }

  /**
   * Drops the live doc `DOC_IDLE_MS` after the last write, once nothing is pending or being
   * written (so the doc equals what storage holds).
   */
  private scheduleDocDrop(): void {
    if (this.docTimer) return
    const { limits } = this.deps
    const due = this.lastWriteAt + limits.DOC_IDLE_MS - this.clock.now()
    this.docTimer = this.clock.after(
      Math.max(1, due),
      () => {
        this.docTimer = null
        if (this.state.kind !== 'live') return
        if (this.clock.now() - this.lastWriteAt < limits.DOC_IDLE_MS) {
          this.scheduleDocDrop()
          return
        }
        if (!this.idle) {
          void this.whenIdle().then(() => this.scheduleDocDrop())
          return
        }
        this.dropDoc()
      },
      { unref: true },
    )
  }

  /**
   * Drops the live doc if nothing is pending or being written (the doc then equals what storage
   * holds). If storage holds several records, the doc's full encoding replaces them (compaction,
   * in the background: until it is durable, cold reads find it queued before them, and a failed
   * one leaves the records, which reads merge). Returns whether the room is cold now.
   */
  dropDoc(): boolean {
    const live = this.state
    if (live.kind !== 'live') return true
    if (!this.idle) return false
    const t0 = performance.now()
    this.docTimer?.cancel()
    this.docTimer = null
    const bytes = live.docBytes + (live.bytes?.length ?? 0)
    const compacted =
      this.writer.appendsSinceCompact > 0 ? this.writer.compactWith(this.fullState()) : null
    // The doc's memory (and the compaction's full encoding, once written) can go back.
    void (compacted ?? Promise.resolve()).then(() => this.deps.released?.(bytes))
    this.state = coldFromDoc(live.doc)
    live.doc.destroy()
    this.deps.liveDocs.forget(this)
    this.deps.metrics.docDrops++
    this.deps.log.debug(
      { room: this.name, ms: Math.round(performance.now() - t0) },
      'doc dropped (state in storage)',
    )
    return true
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Whether nothing is waiting to be applied or written. */
  get idle(): boolean {
    return this.writer.idle && this.inbox.idle
  }

  /**
   * Accepts an editor's update: parsed fully (once: admission's checks reuse the parse), admitted
   * (`admission.ts`), applied to the doc and queued for the durable write. `invalid`: it does not
   * decode or apply (the caller closes the connection). A live room answers at once; a cold room
   * first checks whether the update brings anything new (a reconnecting client's handshake usually
   * does not) and revives its doc from storage only if it does; updates arriving meanwhile wait in
   * order.
   */
  acceptUpdate(
    update: Uint8Array,
    origin: Peer,
    mode: AttestMode = 'live',
  ): Accepted | Promise<Accepted> {
    return this.accept(update, origin, mode)
  }

  private accept(
    update: Uint8Array,
    origin: Origin,
    mode: AttestMode = 'live',
  ): Accepted | Promise<Accepted> {
    const parsed = parseIncoming(update)
    if (!parsed) return 'invalid'
    const incoming: Incoming = { parsed, mode }
    if (this.state.kind === 'cold' && this.state.storedEmpty && this.inbox.empty) {
      // A new workbook: a fresh client's empty handshake changes nothing; anything else starts
      // the doc here and now (there is nothing to read).
      if (isEmptyUpdate(update)) return 'ok'
      this.becomeLive([], performance.now())
    }
    if (this.state.kind === 'live' && this.inbox.empty) {
      return this.applyLive(this.state, incoming, origin)
    }
    return this.inbox.push(incoming, origin)
  }

  /**
   * Applies a parsed update to the live doc, once admitted (a peer's; another server's was
   * admitted there), and queues what it changed for the durable write.
   */
  private applyLive(live: LiveState, incoming: Incoming, origin: Origin): Accepted {
    const update = incoming.parsed.bytes
    const store = live.doc.store
    const pendingStructsBefore = store.pendingStructs
    const pendingDsBefore = store.pendingDs
    live.changed = false
    let admitted: Admission | null = null
    if (origin !== REMOTE) {
      admitted = admit(this.deps, this.name, live.doc, incoming, origin)
      if (!admitted.ok) return admitted.result
    }
    try {
      Y.applyUpdate(live.doc, update, origin)
    } catch {
      return 'invalid'
    }
    // Stored and broadcast as sent when it changed the doc, or added structs or deletions still
    // waiting for missing dependencies (they change no state vector yet, but must be durable, and
    // peers need them to apply the dependency when it comes). Parts the doc already had are
    // stored twice until the next compaction and ignored by peers; an update that brings nothing
    // new (a reconnecting client's handshake) is neither stored nor sent.
    const changed =
      live.changed ||
      store.pendingStructs !== pendingStructsBefore ||
      store.pendingDs !== pendingDsBefore
    live.changed = false
    if (!changed) return 'ok'
    this.gen++
    live.bytes = null // the cached full encoding is stale now
    this.lastWriteAt = this.clock.now()
    this.deps.liveDocs.touch(this)
    // Broadcast at once, then make durable; the ack waits for the disk (docs/SYNC.md, "Broadcast
    // before durable": the author keeps an unacknowledged update and resends it, and every
    // receiver holds it too, so a crash before the write loses nothing acknowledged).
    if (origin === REMOTE) this.sendAll(frameBinary(syncUpdateMessage(update)), null)
    else this.emit({ type: 'update', update }, origin)
    let own: Uint8Array | null = null
    const attester = this.deps.attester
    const verdict = admitted?.ok ? admitted.attest : null
    if (attester && verdict && origin !== REMOTE) {
      // The server's own write (bindings, receive times): to every peer, the bus and storage, in
      // the same durable batch as the edit it attests.
      own = attester.record(this.name, live.doc, verdict, { user: origin.user, name: origin.name })
      if (own) {
        live.changed = false
        this.emit({ type: 'update', update: own }, null)
      }
    }
    if (own) this.writer.enqueue(update, own)
    else this.writer.enqueue(update)
    return 'ok'
  }

  /** Whether `update` would change this room's state (tells a viewer's no-op sync step 2 apart). */
  wouldChange(update: Uint8Array): boolean | Promise<boolean> {
    const s = this.state
    if (s.kind === 'live') return wouldChangeDoc(s.doc, update)
    return this.reads
      .wouldChange(s, update, () => this.state === s)
      .then((r) => (this.state.kind === 'live' ? wouldChangeDoc(this.state.doc, update) : r))
  }

  /** Writes everything pending, batch after batch; resolves when idle (or when giving up). */
  flush(): Promise<void> {
    return this.writer.flush()
  }

  /** Replaces the stored records with the doc's full state; failures only delay compaction. */
  compact(): Promise<void> {
    return this.writer.compact()
  }

  /** Stop retrying failed writes after `at` (clock ms): the server is shutting down. */
  giveUpAfter(at: number): void {
    this.writer.giveUpAt = at
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }

  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private hasAckPeer(): boolean {
    for (const p of this.peerSet) if (p.wantsAck) return true
    return false
  }

  /** Tells ack peers what is durable (`ack`: framed before the write, or null: built here). */
  private sendAcks(ack: WireMessage | null): void {
    for (const p of this.peerSet) {
      if (!p.wantsAck) continue
      ack ??= frameBinary(writeDurableMessage(this.durable))
      p.sendWire(ack)
      this.deps.metrics.acksSent++
    }
  }

  /** Sends the durable state vector to one ack peer (after it joins). */
  sendDurable(peer: Peer): void {
    if (!peer.wantsAck) return
    peer.send(writeDurableMessage(this.durable))
    this.deps.metrics.acksSent++
  }

  destroy(): void {
    this.writer.destroy()
    this.docTimer?.cancel()
    this.docTimer = null
    this.presence.destroy()
    const s = this.state
    if (s.kind === 'live') {
      this.deps.released?.(s.docBytes)
      const sv = Y.encodeStateVector(s.doc)
      s.doc.destroy()
      // Unloaded: what storage holds is all that is left (nothing is pending after the flush).
      this.state = {
        kind: 'cold',
        sv,
        svMap: Y.decodeStateVector(sv),
        storedEmpty: false,
        dsOnly: null,
        deleted: null,
      }
    }
    this.deps.liveDocs.forget(this)
    this.destroyed = true
    this.inbox.failAll()
  }
}
