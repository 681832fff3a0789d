import { MESSAGE_TYPE, writeDurableMessage } from '@taizhang/shared'
import * as encoding from 'lib0/encoding'
import type { Logger } from 'pino'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Limits } from './limits.js'
import type { Metrics } from './metrics.js'
import type { Peer } from './Peer.js'
import type { DocStore } from './storage/DocStore.js'
import { frameBinary, type WireMessage } from './wsFrame.js'

export interface RoomDeps {
  store: DocStore
  log: Logger
  metrics: Metrics
  limits: Limits
  /** Caps the live docs of the process (rooms share one). */
  liveDocs: LiveDocs
  /** Told how many bytes of large allocations were just let go (`Reclaimer.note`). */
  released?: (bytes: number) => void
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
  private readonly order = new Map<Room, number>()
  constructor(
    private readonly max: number,
    private readonly minIdleMs = 0,
  ) {}

  get size(): number {
    return this.order.size
  }

  /** `room` holds a live doc and was just written (or revived). */
  touch(room: Room): void {
    const now = Date.now()
    this.order.delete(room)
    this.order.set(room, now)
    if (this.order.size <= this.max) return
    for (const [other, at] of this.order) {
      if (this.order.size <= this.max || now - at < this.minIdleMs) break
      if (other !== room) other.dropDoc() // no-op while its writes are pending
    }
  }

  forget(room: Room): void {
    this.order.delete(room)
  }

  /** The live docs' rough size in all (bytes they were built from and appended since). */
  bytes(): number {
    let sum = 0
    for (const room of this.order.keys()) sum += room.liveBytes
    return sum
  }
}

/** A durable batch's message, and the peers that do not need it. */
interface Broadcast {
  /** Framed once, written as is to every receiving socket. */
  msg: WireMessage
  /** The one peer that wrote the whole batch (it gets nothing), or null. */
  skip: Peer | null
}

/** One accepted change waiting for its batch to become durable. */
interface PendingEntry {
  /** The update as the client sent it: stored, then broadcast to the other peers once durable. */
  update: Uint8Array
  origin: Peer | null
}

const EMPTY_SV = new Uint8Array([0])
/** An update with no structs and an empty delete set (a new, empty room). */
const EMPTY_UPDATE = new Uint8Array([0, 0])
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.sync)
  syncProtocol.writeUpdate(e, update)
  return encoding.toUint8Array(e)
}

const MERGE_FANIN = 16
/** Updates up to this size are validated with Y.decodeUpdate (objects), larger ones streamed. */
const SMALL_UPDATE_BYTES = 4096

/**
 * `Y.mergeUpdates` of many updates, in groups: Yjs re-sorts all its inputs for every struct it
 * writes, so one call on the thousands of one-struct edits of a burst costs O(n²); merging groups
 * of MERGE_FANIN, then the results, gives the same update in O(n · MERGE_FANIN · log n).
 */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  let level = updates
  while (level.length > 1) {
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += MERGE_FANIN) {
      const group = level.slice(i, i + MERGE_FANIN)
      next.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group))
    }
    level = next
  }
  return level[0] ?? EMPTY_UPDATE
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/** Whether a transaction changed its doc: a struct added or something deleted (as Yjs decides
 * whether to emit `update`). */
function transactionChanged(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true
  return false
}

/** Whether a decoded update would change `doc`: a struct it lacks or a deletion it lacks. */
function wouldChangeDoc(
  doc: Y.Doc,
  structs: Array<Y.Item | Y.GC | Y.Skip>,
  ds: ReturnType<typeof Y.decodeUpdate>['ds'],
): boolean {
  for (const s of structs) {
    if (s instanceof Y.Skip) continue
    if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) return true
  }
  for (const [client, items] of ds.clients) {
    const own = doc.store.clients.get(client)
    for (const { clock, len } of items) {
      if (!own || clock + len > Y.getState(doc.store, client)) return true
      let i = Y.findIndexSS(own, clock)
      while (i < own.length && own[i]!.id.clock < clock + len) {
        if (!own[i]!.deleted) return true
        i++
      }
    }
  }
  return false
}

/** Whether every range of `ranges` (sorted, merged: a Yjs delete set) covers [clock, end). */
function covers(ranges: ReadonlyArray<{ clock: number; len: number }>, clock: number, end: number) {
  let lo = 0
  let hi = ranges.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const r = ranges[mid]!
    if (r.clock + r.len <= clock) lo = mid + 1
    else hi = mid
  }
  let pos = clock
  for (let i = lo; i < ranges.length && pos < end; i++) {
    const r = ranges[i]!
    if (r.clock > pos) return false
    pos = Math.max(pos, r.clock + r.len)
  }
  return pos >= end
}

/** What became of an editor's update (`unavailable`: the room could not read its storage). */
export type Accepted = 'ok' | 'invalid' | 'unavailable'

/** An editor's update waiting for the doc (a cold room checking it or reviving), in arrival order. */
interface Queued {
  update: Uint8Array
  origin: Peer | null
  done: (result: Accepted) => void
}

/**
 * A loaded workbook: its state, presence, peers, and the write loop that makes every accepted
 * update durable (group commit) before it is broadcast and acknowledged.
 *
 * The state lives in one of two forms (docs/SYNC.md, "Doc-less rooms"):
 * - **cold**: nothing but the state vector of what storage holds (one record, compacted) and,
 *   once needed, its delete set. Sync requests are answered by reading storage (a fresh client
 *   gets the stored record as it is; others `Y.diffUpdate`), so a cold room's size does not stay
 *   resident.
 * - **live**: a `Y.Doc`, revived from storage when a write (or a viewer's delete set) needs
 *   validating against the doc, and dropped `DOC_IDLE_MS` after the last write once everything is
 *   durable and compacted into one record.
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness
  readonly peers = new Set<Peer>()
  /** Awareness client id → the peer owning it. */
  readonly owners = new Map<number, Peer>()
  /** Encoded state vector of what storage holds (everything acked is covered). */
  durableSv: Uint8Array
  appendsSinceCompact = 0
  unloadTimer: NodeJS.Timeout | null = null
  /** The live doc, or null while the room is cold. */
  private doc: Y.Doc | null = null
  /** Live only: a cached full encoding of the doc at `bytesGen`, or null. */
  private bytes: Uint8Array | null = null
  private bytesGen = -1
  /** Cold only: the state vector of what storage holds, encoded and decoded. */
  private coldSv: Uint8Array = EMPTY_SV
  private coldSvMap: Map<number, number> = new Map()
  /**
   * Cold only: the stored state's update against its own state vector (its delete set, plus
   * structs still waiting for dependencies), for clients that already have every struct; and the
   * decoded delete set, for viewer checks. Taken from the doc when it is dropped, else read once.
   */
  private dsOnly: Uint8Array | null = null
  private dsRead: Promise<Uint8Array> | null = null
  private deleted: Map<number, Array<{ clock: number; len: number }>> | null = null
  /** Cold only: storage holds nothing for the room (a new workbook): no read needed. */
  private storedEmpty = false
  /** One storage read of the whole state, shared by every caller arriving while it runs. */
  private storedRead: Promise<Uint8Array> | null = null
  /** Bumped by every accepted change (invalidates the cached encoding). */
  private gen = 0
  private lastWriteAt = 0
  /** Live only: the bytes the doc was built from plus those appended since (its rough size). */
  private docBytes = 0
  private docTimer: NodeJS.Timeout | null = null
  /** Holds the awareness' client id; the server has no presence of its own. */
  private readonly presenceDoc = new Y.Doc()
  private pending: PendingEntry[] = []
  private pendingBytes = 0
  private writing = false
  private batchTimer: NodeJS.Timeout | null = null
  private idleWaiters: Array<() => void> = []
  /** Editors' updates waiting while the cold room checks them or revives its doc. */
  private inbox: Queued[] = []
  private draining = false
  /** Unloaded: a storage read still in flight must not bring the doc back. */
  private destroyed = false
  /** Whether the doc's last transaction changed it (set by its `afterTransaction` listener). */
  private changed = false
  /** Set at shutdown: stop retrying failed writes after this time (Unix ms). */
  giveUpAt = Number.POSITIVE_INFINITY

  constructor(
    readonly name: string,
    stored: Uint8Array[],
    private readonly deps: RoomDeps,
  ) {
    if (stored.length <= 1) {
      // One record (a compacted room): stay cold, keeping only its state vector.
      this.setColdFromStored(stored[0] ?? EMPTY_UPDATE)
    } else {
      this.doc = this.makeDoc(stored)
      this.scheduleDocDrop()
      deps.liveDocs.touch(this)
    }
    this.durableSv = this.stateVector()
    this.appendsSinceCompact = stored.length > 1 ? stored.length : 0
    this.awareness = new awarenessProtocol.Awareness(this.presenceDoc)
    this.awareness.setLocalState(null)
    this.awareness.on(
      'update',
      ({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>) => {
        const changed = added.concat(updated, removed)
        if (changed.length === 0) return
        const msg = frameBinary(
          awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)),
        )
        for (const p of this.peers) p.sendWire(msg)
      },
    )
  }

  /**
   * A doc holding `records`; one `afterTransaction` listener tells applyLive whether an update
   * changed it. Deliberately no `update` listener: Yjs would then encode every transaction's diff
   * (a third of the apply's cost), and the update as sent is what is stored and broadcast.
   */
  private makeDoc(records: Uint8Array[]): Y.Doc {
    const doc = new Y.Doc()
    this.docBytes = 0
    doc.transact(() => {
      for (const u of records) {
        Y.applyUpdate(doc, u)
        this.docBytes += u.length
      }
    })
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      this.changed = transactionChanged(tr)
    })
    return doc
  }

  /** Live: the doc's rough size (bytes it was built from and appended since); cold: 0. */
  get liveBytes(): number {
    return this.doc ? this.docBytes : 0
  }

  /** Whether the room holds a live Y.Doc (false: only the state vector of what storage holds). */
  get isLive(): boolean {
    return this.doc !== null
  }

  /** Encoded state vector of everything the room holds (applied, maybe not yet durable). */
  stateVector(): Uint8Array {
    return this.doc ? Y.encodeStateVector(this.doc) : this.coldSv
  }

  /** The live doc's whole state as one update, cached until the next change (live rooms only). */
  fullState(): Uint8Array {
    if (!this.doc) throw new Error(`room ${this.name} is cold: its state is in storage`)
    if (this.bytesGen !== this.gen || !this.bytes) {
      this.bytes = Y.encodeStateAsUpdate(this.doc)
      this.bytesGen = this.gen
    }
    return this.bytes
  }

  /**
   * The sync step 2 payload for a client with state vector `sv` (encoded; throws at once if
   * malformed). Live: from the doc (a fresh client gets the cached full encoding). Cold: read from
   * storage (a fresh client gets the stored record as it is), or the cached delete-set update for
   * a client that already has every struct.
   */
  syncStep2(sv: Uint8Array): Uint8Array | Promise<Uint8Array> {
    const theirs = Y.decodeStateVector(sv)
    if (this.doc) return theirs.size === 0 ? this.fullState() : Y.encodeStateAsUpdate(this.doc, sv)
    if (this.storedEmpty) return EMPTY_UPDATE
    if (theirs.size === 0) return this.storedState()
    let hasAll = true
    for (const [client, clock] of this.coldSvMap) {
      if ((theirs.get(client) ?? 0) < clock) {
        hasAll = false
        break
      }
    }
    // A client holding every struct needs only the delete set: cached, instead of a full pass.
    if (hasAll) return this.deleteSetUpdate()
    return this.storedState().then((bytes) => Y.diffUpdate(bytes, sv))
  }

  /**
   * What storage holds for the room, as one update (normally its one compacted record). Always a
   * valid answer to a peer already in the room: whatever is written after the read reaches the peer
   * as a broadcast.
   */
  private storedState(): Promise<Uint8Array> {
    this.storedRead ??= this.deps.store
      .load(this.name)
      .then((records) => {
        const bytes = records.length === 0 ? EMPTY_UPDATE : mergeMany(records)
        // Reported once per read, however many callers share it: garbage once the answers are
        // sent (the reclaimer waits for a quiet spell).
        this.deps.released?.(bytes.length)
        return bytes
      })
      .finally(() => {
        this.storedRead = null
      })
    return this.storedRead
  }

  /** Cold: the stored state against its own state vector (cached; read from storage once). */
  private deleteSetUpdate(): Promise<Uint8Array> {
    if (this.dsOnly) return Promise.resolve(this.dsOnly)
    const sv = this.coldSv
    this.dsRead ??= this.storedState()
      .then((bytes) => {
        const ds = Y.diffUpdate(bytes, sv)
        // Cache it only if the room is still cold in the same state.
        if (!this.doc && this.coldSv === sv) this.dsOnly = ds
        return ds
      })
      .finally(() => {
        this.dsRead = null
      })
    return this.dsRead
  }

  /** Makes the room cold from its one stored record (at load): keeps only the state vector. */
  private setColdFromStored(bytes: Uint8Array): void {
    this.storedEmpty = bytes === EMPTY_UPDATE
    this.coldSv = Y.encodeStateVectorFromUpdate(bytes)
    this.coldSvMap = Y.decodeStateVector(this.coldSv)
    this.dsOnly = null
    this.deleted = null
  }

  /** Revives the doc from storage (the room is cold, so storage holds everything it has). */
  private async revive(): Promise<void> {
    const t0 = performance.now()
    const records = await this.deps.store.load(this.name)
    if (!this.doc && !this.destroyed) this.becomeLive(records, t0)
  }

  /** Makes the cold room live with a doc holding `records` (what storage holds). */
  private becomeLive(records: Uint8Array[], t0: number): void {
    this.doc = this.makeDoc(records)
    // A single record stays valid as the cached full encoding until the first change.
    this.bytes = records.length === 1 ? records[0]! : null
    this.bytesGen = this.gen
    if (records.length > 1)
      this.appendsSinceCompact = Math.max(this.appendsSinceCompact, records.length)
    this.dsOnly = null
    this.deleted = null
    this.storedEmpty = false
    this.deps.metrics.docRevivals++
    this.deps.liveDocs.touch(this)
    this.deps.log.debug(
      { room: this.name, ms: Math.round(performance.now() - t0) },
      'doc revived from storage',
    )
    this.scheduleDocDrop()
  }

  /**
   * Drops the live doc `DOC_IDLE_MS` after the last write, once nothing is pending or being
   * written (so the doc equals what storage holds).
   */
  private scheduleDocDrop(): void {
    if (this.docTimer) return
    const due = this.lastWriteAt + this.deps.limits.DOC_IDLE_MS - Date.now()
    this.docTimer = setTimeout(
      () => {
        this.docTimer = null
        if (!this.doc) return
        if (Date.now() - this.lastWriteAt < this.deps.limits.DOC_IDLE_MS) {
          this.scheduleDocDrop()
          return
        }
        if (!this.idle) {
          void this.whenIdle().then(() => this.scheduleDocDrop())
          return
        }
        this.dropDoc()
      },
      Math.max(1, due),
    )
    this.docTimer.unref()
  }

  /**
   * Drops the live doc if nothing is pending or being written (the doc then equals what storage
   * holds). If storage holds several records, the doc's full encoding replaces them (compaction,
   * in the background: until it is durable, cold reads find it queued before them, and a failed
   * one leaves the records, which reads merge). Returns whether the room is cold now.
   */
  dropDoc(): boolean {
    const doc = this.doc
    if (!doc) return true
    if (!this.idle) return false
    const t0 = performance.now()
    if (this.docTimer) clearTimeout(this.docTimer)
    this.docTimer = null
    const bytes = this.docBytes + (this.bytes?.length ?? 0)
    const compacted = this.appendsSinceCompact > 0 ? this.compactWith(this.fullState()) : null
    // The doc's memory (and the compaction's full encoding, once written) can go back.
    void (compacted ?? Promise.resolve()).then(() => this.deps.released?.(bytes))
    this.coldSv = Y.encodeStateVector(doc)
    this.coldSvMap = Y.decodeStateVector(this.coldSv)
    this.dsOnly = Y.encodeStateAsUpdate(doc, this.coldSv)
    this.storedEmpty = false
    this.deleted = null
    doc.destroy()
    this.doc = null
    this.bytes = null
    this.deps.liveDocs.forget(this)
    this.deps.metrics.docDrops++
    this.deps.log.debug(
      { room: this.name, ms: Math.round(performance.now() - t0) },
      'doc dropped (state in storage)',
    )
    return true
  }

  /** Whether nothing is waiting to be applied or written. */
  get idle(): boolean {
    return !this.writing && this.pending.length === 0 && this.inbox.length === 0 && !this.draining
  }

  /**
   * Accepts an editor's update: parsed fully, applied to the doc and queued for the durable write.
   * `invalid`: it does not decode or apply (the caller closes the connection). A live room answers
   * at once; a cold room first checks whether the update brings anything new (a reconnecting
   * client's handshake usually does not) and revives its doc from storage only if it does; updates
   * arriving meanwhile wait in order.
   */
  acceptUpdate(update: Uint8Array, origin: Peer | null): Accepted | Promise<Accepted> {
    try {
      // Parse fully first (every struct, its content and the delete set): applyUpdate on garbage
      // could integrate the structs and then throw in the delete set. A small update is decoded
      // (cheapest); a large one streamed through diffUpdate against an empty state vector, one
      // struct at a time instead of materialising them all.
      if (update.length <= SMALL_UPDATE_BYTES) Y.decodeUpdate(update)
      else Y.diffUpdate(update, EMPTY_SV)
    } catch {
      return 'invalid'
    }
    if (!this.doc && this.storedEmpty && this.inbox.length === 0) {
      // A new workbook: a fresh client's empty handshake changes nothing; anything else starts
      // the doc here and now (there is nothing to read).
      if (update.length === 2 && update[0] === 0 && update[1] === 0) return 'ok'
      this.becomeLive([], performance.now())
    }
    if (this.doc && this.inbox.length === 0) return this.applyLive(update, origin)
    return new Promise<Accepted>((done) => {
      this.inbox.push({ update, origin, done })
      void this.drainInbox()
    })
  }

  /** Works through the inbox in order: cold checks, one revive, then applies. */
  private async drainInbox(): Promise<void> {
    if (this.draining) return
    this.draining = true
    try {
      while (this.inbox.length > 0) {
        if (!this.doc) {
          const next = this.inbox[0]!
          let changes = true
          try {
            changes = await this.coldWouldChange(next.update)
          } catch {
            // It parsed: let the apply decide.
          }
          if (!this.doc && !changes) {
            this.inbox.shift()
            next.done('ok')
            continue
          }
          if (!this.doc) {
            try {
              await this.revive()
            } catch (err) {
              this.deps.log.error({ err, room: this.name }, 'reviving the doc from storage failed')
              for (const q of this.inbox.splice(0)) q.done('unavailable')
              break
            }
          }
        }
        if (this.doc) {
          const queued = this.inbox
          this.inbox = []
          for (const q of queued) q.done(this.applyLive(q.update, q.origin))
        }
      }
    } finally {
      this.draining = false
      if (this.idle) this.notifyIdle()
    }
  }

  /** Applies a parsed update to the live doc and queues what it changed for the durable write. */
  private applyLive(update: Uint8Array, origin: Peer | null): Accepted {
    const doc = this.doc!
    const store = doc.store
    const pendingStructsBefore = store.pendingStructs
    const pendingDsBefore = store.pendingDs
    this.changed = false
    try {
      Y.applyUpdate(doc, update, origin)
    } catch {
      return 'invalid'
    }
    // Stored and broadcast as sent when it changed the doc, or added structs or deletions still
    // waiting for missing dependencies (they change no state vector yet, but must be durable, and
    // peers need them to apply the dependency when it comes). Parts the doc already had are
    // stored twice until the next compaction and ignored by peers; an update that brings nothing
    // new (a reconnecting client's handshake) is neither stored nor sent.
    const changed =
      this.changed ||
      store.pendingStructs !== pendingStructsBefore ||
      store.pendingDs !== pendingDsBefore
    this.changed = false
    if (!changed) return 'ok'
    this.gen++
    this.bytes = null // the cached full encoding is stale now
    this.lastWriteAt = Date.now()
    this.deps.liveDocs.touch(this)
    this.pending.push({ update, origin })
    this.pendingBytes += update.length
    this.scheduleFlush()
    return 'ok'
  }

  /** Whether `update` would change this room's state (tells a viewer's no-op sync step 2 apart). */
  wouldChange(update: Uint8Array): boolean | Promise<boolean> {
    if (this.doc) return this.docWouldChange(update)
    return this.coldWouldChange(update).then((r) => (this.doc ? this.docWouldChange(update) : r))
  }

  private docWouldChange(update: Uint8Array): boolean {
    const { structs, ds } = Y.decodeUpdate(update)
    return wouldChangeDoc(this.doc!, structs, ds)
  }

  /**
   * `wouldChange` for a cold room, without reviving the doc: the structs it lacks are those past
   * its state vector (streamed out with `Y.diffUpdate`, so a client's whole-workbook handshake is
   * never materialised), and every deleted range must already be in its delete set.
   */
  private async coldWouldChange(update: Uint8Array): Promise<boolean> {
    const svMap = this.coldSvMap
    const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, this.coldSv))
    if (structs.some((s) => !(s instanceof Y.Skip))) return true
    if (ds.clients.size === 0) return false
    // Deletions past the state vector are news; the rest must already be in the delete set.
    for (const [client, items] of ds.clients) {
      for (const { clock, len } of items) if (clock + len > (svMap.get(client) ?? 0)) return true
    }
    const deleted = this.deleted ?? Y.decodeUpdate(await this.deleteSetUpdate()).ds.clients
    if (!this.doc && this.coldSvMap === svMap) this.deleted = deleted
    for (const [client, items] of ds.clients) {
      const own = deleted.get(client) ?? []
      for (const { clock, len } of items) if (!covers(own, clock, clock + len)) return true
    }
    return false
  }

  private scheduleFlush(): void {
    if (this.writing) return // the loop picks the batch up when the write in flight finishes
    if (
      this.pendingBytes >= this.deps.limits.BATCH_MAX_BYTES ||
      this.deps.limits.BATCH_WINDOW_MS <= 0
    ) {
      // No window: the write starts now, inside this frame's handling (down to LevelDB's native
      // call), not after the rest of the socket's read and a turn of the event loop (~0.1 ms).
      // Frames arriving while it is in flight form the next batch.
      if (this.batchTimer) clearTimeout(this.batchTimer)
      this.batchTimer = null
      void this.flush()
      return
    }
    if (this.batchTimer) return
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null
      void this.flush()
    }, this.deps.limits.BATCH_WINDOW_MS)
  }

  /** Writes everything pending, batch after batch; resolves when idle (or when giving up). */
  async flush(): Promise<void> {
    if (this.batchTimer) {
      clearTimeout(this.batchTimer)
      this.batchTimer = null
    }
    if (this.writing) return this.whenIdle()
    this.writing = true
    try {
      while (this.pending.length > 0) {
        const batch = this.pending
        this.pending = []
        this.pendingBytes = 0
        // Every update applied so far is in this batch or an earlier one, so once this batch is
        // stored the doc's current state vector is durable.
        const sv = this.stateVector()
        const merged = batch.length === 1 ? batch[0]!.update : mergeMany(batch.map((e) => e.update))
        // Framed before the write (the broadcast and the ack), so nothing but the sends stands
        // between durability and peers.
        const broadcast = this.broadcastFor(batch, merged)
        const ack = this.hasAckPeer() ? frameBinary(writeDurableMessage(sv)) : null
        const stored = await this.appendWithRetry(merged)
        if (!stored) {
          // Shutdown deadline passed: these were never acknowledged, so nothing acked is lost.
          this.deps.log.error(
            { room: this.name, updates: batch.length },
            'gave up unstored updates',
          )
          return
        }
        this.durableSv = sv
        this.publish(broadcast, ack)
        this.docBytes += merged.length
        this.appendsSinceCompact++
        if (this.appendsSinceCompact >= this.deps.limits.COMPACT_AFTER_APPENDS) await this.compact()
      }
    } finally {
      this.writing = false
      this.notifyIdle()
    }
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

  private async appendWithRetry(update: Uint8Array): Promise<boolean> {
    const { store, metrics, log, limits } = this.deps
    let delay = limits.RETRY_MIN_MS
    for (;;) {
      const t0 = performance.now()
      try {
        await store.append(this.name, update)
        metrics.appendSeconds.observe((performance.now() - t0) / 1000)
        return true
      } catch (err) {
        metrics.appendFailures++
        // Keep the room loaded and the updates unacknowledged: unloading would lose them.
        log.error({ err, room: this.name, retryInMs: delay }, 'storage append failed; retrying')
        if (Date.now() + delay > this.giveUpAt) return false
        await sleep(delay)
        delay = Math.min(delay * 2, limits.RETRY_MAX_MS)
      }
    }
  }

  /**
   * The message a batch is broadcast as, and who gets it: the update being stored (one edit, the
   * interactive case: that edit as its author sent it; a burst: the one merged update), one message
   * per peer instead of one per edit. A peer gets its own edits back only when others are in the
   * batch too (Yjs ignores what it has); a peer that wrote the whole batch gets nothing.
   */
  private broadcastFor(batch: PendingEntry[], merged: Uint8Array): Broadcast | null {
    if (batch.length === 0) return null
    const msg = frameBinary(syncUpdateMessage(merged))
    const author = batch[0]!.origin
    for (const e of batch) if (e.origin !== author) return { msg, skip: null }
    return { msg, skip: author }
  }

  private hasAckPeer(): boolean {
    for (const p of this.peers) if (p.wantsAck) return true
    return false
  }

  /**
   * Sends a durable batch to the peers (first: it is what their latency is measured by), then
   * tells ack peers what is durable (`ack`: framed before the write; built here only when an ack
   * peer joined during it).
   */
  private publish(broadcast: Broadcast | null, ack: WireMessage | null): void {
    if (broadcast) {
      const { msg, skip } = broadcast
      for (const p of this.peers) if (p !== skip) p.sendWire(msg)
    }
    for (const p of this.peers) {
      if (!p.wantsAck) continue
      ack ??= frameBinary(writeDurableMessage(this.durableSv))
      p.sendWire(ack)
      this.deps.metrics.acksSent++
    }
  }

  /** Replaces the stored records with the doc's full state; failures only delay compaction. */
  async compact(): Promise<void> {
    if (this.doc) await this.compactWith(this.fullState())
  }

  private async compactWith(full: Uint8Array): Promise<void> {
    const { store, metrics, log } = this.deps
    try {
      await store.compact(this.name, full)
      this.appendsSinceCompact = 0
      metrics.compactions++
    } catch (err) {
      metrics.compactionFailures++
      log.error({ err, room: this.name }, 'compaction failed; records kept')
    }
  }

  /** Sends the durable state vector to one ack peer (after it joins). */
  sendDurable(peer: Peer): void {
    if (!peer.wantsAck) return
    peer.send(writeDurableMessage(this.durableSv))
    this.deps.metrics.acksSent++
  }

  /** Removes a peer and the presence it owned. */
  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return
    const ids = [...peer.clientIds].filter((id) => this.owners.get(id) === peer)
    for (const id of ids) this.owners.delete(id)
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null)
  }

  destroy(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer)
    if (this.unloadTimer) clearTimeout(this.unloadTimer)
    if (this.docTimer) clearTimeout(this.docTimer)
    this.awareness.destroy()
    this.presenceDoc.destroy()
    if (this.doc) this.deps.released?.(this.docBytes)
    this.doc?.destroy()
    this.doc = null
    this.deps.liveDocs.forget(this)
    this.bytes = null
    this.destroyed = true
    for (const q of this.inbox.splice(0)) q.done('unavailable')
  }
}

/** Room registry: single-flight loads, idle unloads, flush-all at shutdown. */
export class Rooms {
  private readonly loaded = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room>>()

  constructor(private readonly deps: RoomDeps) {}

  get size(): number {
    return this.loaded.size
  }

  /** How many loaded rooms hold a live Y.Doc. */
  get liveDocs(): number {
    return this.deps.liveDocs.size
  }

  peek(name: string): Room | undefined {
    return this.loaded.get(name)
  }

  /** The loaded room, or one load shared by every caller arriving while it runs. */
  get(name: string): Promise<Room> {
    const room = this.loaded.get(name)
    if (room) return Promise.resolve(room)
    let p = this.loading.get(name)
    if (!p) {
      p = this.load(name).finally(() => this.loading.delete(name))
      this.loading.set(name, p)
    }
    return p
  }

  private async load(name: string): Promise<Room> {
    const t0 = performance.now()
    const stored = await this.deps.store.load(name)
    const room = new Room(name, stored, this.deps)
    this.loaded.set(name, room)
    this.deps.log.debug(
      { room: name, records: stored.length, ms: Math.round(performance.now() - t0) },
      'room loaded',
    )
    if (room.appendsSinceCompact >= this.deps.limits.COMPACT_AFTER_APPENDS) void room.compact()
    return room
  }

  /** Adds a peer; cancels a pending unload. */
  join(room: Room, peer: Peer): void {
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer)
      room.unloadTimer = null
    }
    room.peers.add(peer)
  }

  /** Removes a peer; schedules an unload when it was the last one. */
  leave(room: Room, peer: Peer): void {
    room.leave(peer)
    if (room.peers.size === 0) this.scheduleUnload(room)
  }

  /** Schedules the unload of a room nobody joined (its only client left during the load). */
  release(room: Room): void {
    if (room.peers.size === 0 && !room.unloadTimer) this.scheduleUnload(room)
  }

  private scheduleUnload(room: Room): void {
    if (room.unloadTimer) clearTimeout(room.unloadTimer)
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null
      if (room.peers.size > 0 || this.loaded.get(room.name) !== room) return
      if (!room.idle) {
        // Writes still in flight or failing: keep the room until they are durable.
        void room.whenIdle().then(() => {
          if (room.peers.size === 0) this.scheduleUnload(room)
        })
        return
      }
      this.loaded.delete(room.name)
      room.destroy()
      this.deps.log.debug({ room: room.name }, 'room unloaded')
    }, this.deps.limits.ROOM_IDLE_UNLOAD_MS)
    room.unloadTimer.unref()
  }

  /** Writes every pending update (retrying until `giveUpAt`), then forgets all rooms. */
  async flushAll(giveUpAt: number): Promise<void> {
    const rooms = [...this.loaded.values()]
    await Promise.all(
      rooms.map(async (room) => {
        room.giveUpAt = giveUpAt
        try {
          await room.flush()
        } catch (err) {
          this.deps.log.error({ err, room: room.name }, 'flush at shutdown failed')
        }
      }),
    )
    for (const room of rooms) room.destroy()
    this.loaded.clear()
  }
}
