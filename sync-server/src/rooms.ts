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

export interface RoomDeps {
  store: DocStore
  log: Logger
  metrics: Metrics
  limits: Limits
  /** Caps the live docs of the process (rooms share one). */
  liveDocs: LiveDocs
}

/**
 * The rooms holding a live Y.Doc, least recently written first. When more than `max` are live, the
 * least recently written idle ones drop back to bytes at once instead of after DOC_IDLE_MS, so
 * memory stays bounded however many workbooks are written at the same time.
 */
export class LiveDocs {
  private readonly order = new Set<Room>()
  constructor(private readonly max: number) {}

  get size(): number {
    return this.order.size
  }

  /** `room` holds a live doc and was just written (or revived). */
  touch(room: Room): void {
    this.order.delete(room)
    this.order.add(room)
    if (this.order.size <= this.max) return
    for (const other of [...this.order]) {
      if (this.order.size <= this.max) break
      if (other !== room) other.dropDoc() // no-op while its writes are pending
    }
  }

  forget(room: Room): void {
    this.order.delete(room)
  }
}

/** One accepted change waiting for its batch to become durable. */
interface PendingEntry {
  /** Bytes to store (the doc's diff, plus the raw update when it only added pending structs). */
  persist: Uint8Array[]
  /** Bytes to broadcast to the other peers once durable, if any. */
  broadcast: Uint8Array | null
  origin: Peer | null
  bytes: number
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

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
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

/**
 * A loaded workbook: its state, presence, peers, and the write loop that makes every accepted
 * update durable (group commit) before it is broadcast and acknowledged.
 *
 * The state lives in one of two forms (docs/SYNC.md, "Doc-less rooms"):
 * - **cold**: the merged update bytes (what storage holds) and their state vector. Sync requests
 *   are answered from the bytes (a fresh client gets them as they are; others `Y.diffUpdate`).
 * - **live**: a `Y.Doc`, revived from the bytes when a write (or a viewer's delete set) needs
 *   validating against the doc, and dropped back to bytes `DOC_IDLE_MS` after the last write once
 *   everything is durable.
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
  /** Cold: the whole state. Live: a cached full encoding of the doc at `bytesGen`, or null. */
  private bytes: Uint8Array | null = null
  private bytesGen = -1
  /** Cold only: the state vector of `bytes`, encoded and decoded. */
  private coldSv: Uint8Array = EMPTY_SV
  private coldSvMap: Map<number, number> = new Map()
  /**
   * Cold only: the state's update against its own state vector (its delete set, plus structs
   * still waiting for dependencies), for clients that already have every struct; and the
   * decoded delete set, for viewer checks. Computed on first use.
   */
  private dsOnly: Uint8Array | null = null
  private deleted: Map<number, Array<{ clock: number; len: number }>> | null = null
  /** Bumped by every accepted change (invalidates the cached encoding). */
  private gen = 0
  private lastWriteAt = 0
  private docTimer: NodeJS.Timeout | null = null
  /** Holds the awareness' client id; the server has no presence of its own. */
  private readonly presenceDoc = new Y.Doc()
  private pending: PendingEntry[] = []
  private pendingBytes = 0
  private writing = false
  private batchTimer: NodeJS.Timeout | null = null
  private batchImmediate: NodeJS.Immediate | null = null
  private idleWaiters: Array<() => void> = []
  /** Set at shutdown: stop retrying failed writes after this time (Unix ms). */
  giveUpAt = Number.POSITIVE_INFINITY

  constructor(
    readonly name: string,
    stored: Uint8Array[],
    private readonly deps: RoomDeps,
  ) {
    if (stored.length <= 1) {
      // One record (a compacted room): stay cold; reading the state vector streams the bytes.
      this.setCold(stored[0] ?? EMPTY_UPDATE, null)
    } else {
      const doc = new Y.Doc()
      doc.transact(() => {
        for (const u of stored) Y.applyUpdate(doc, u)
      })
      this.doc = doc
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
        const msg = awarenessMessage(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
        )
        for (const p of this.peers) p.send(msg)
      },
    )
  }

  /** Whether the room holds a live Y.Doc (false: only the merged bytes). */
  get isLive(): boolean {
    return this.doc !== null
  }

  /** Encoded state vector of everything the room holds (applied, maybe not yet durable). */
  stateVector(): Uint8Array {
    return this.doc ? Y.encodeStateVector(this.doc) : this.coldSv
  }

  /** The whole state as one update (cold: the stored bytes as they are; live: cached per change). */
  fullState(): Uint8Array {
    if (!this.doc) return this.bytes!
    if (this.bytesGen !== this.gen || !this.bytes) {
      this.bytes = Y.encodeStateAsUpdate(this.doc)
      this.bytesGen = this.gen
    }
    return this.bytes
  }

  /**
   * The sync step 2 payload for a client with state vector `sv` (encoded; throws if malformed).
   * A fresh client gets the full state without any encoding when the room is cold (or when the
   * doc did not change since the last full encoding).
   */
  syncStep2(sv: Uint8Array): Uint8Array {
    const theirs = Y.decodeStateVector(sv)
    if (theirs.size === 0) return this.fullState()
    if (this.doc) return Y.encodeStateAsUpdate(this.doc, sv)
    let hasAll = true
    for (const [client, clock] of this.coldSvMap) {
      if ((theirs.get(client) ?? 0) < clock) {
        hasAll = false
        break
      }
    }
    // A client holding every struct needs only the delete set: cached, instead of a full pass.
    if (hasAll) return this.deleteSetUpdate()
    return Y.diffUpdate(this.bytes!, sv)
  }

  private deleteSetUpdate(): Uint8Array {
    this.dsOnly ??= Y.diffUpdate(this.bytes!, this.coldSv)
    return this.dsOnly
  }

  /** Makes the room cold: keeps `bytes` (its whole state) and drops the doc. */
  private setCold(bytes: Uint8Array, doc: Y.Doc | null): void {
    this.bytes = bytes
    this.coldSv = doc ? Y.encodeStateVector(doc) : Y.encodeStateVectorFromUpdate(bytes)
    this.coldSvMap = Y.decodeStateVector(this.coldSv)
    this.dsOnly = doc ? Y.encodeStateAsUpdate(doc, this.coldSv) : null
    this.deleted = null
    if (doc) {
      doc.destroy()
      this.doc = null
    }
  }

  /** The live doc, revived from the bytes if the room is cold (synchronous: keeps edit order). */
  private live(): Y.Doc {
    if (this.doc) return this.doc
    const t0 = performance.now()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, this.bytes!)
    this.doc = doc
    // The bytes stay valid as the cached full encoding until the first change.
    this.bytesGen = this.gen
    this.dsOnly = null
    this.deleted = null
    this.deps.metrics.docRevivals++
    this.deps.liveDocs.touch(this)
    this.deps.log.debug(
      { room: this.name, ms: Math.round(performance.now() - t0) },
      'doc revived from bytes',
    )
    this.scheduleDocDrop()
    return doc
  }

  /**
   * Drops the live doc back to bytes `DOC_IDLE_MS` after the last write, once nothing is pending
   * or being written (so the doc equals what storage holds).
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
   * Drops the live doc back to bytes if nothing is pending or being written (the doc then equals
   * what storage holds). Returns whether the room is cold now.
   */
  dropDoc(): boolean {
    if (!this.doc) return true
    if (!this.idle) return false
    const t0 = performance.now()
    if (this.docTimer) clearTimeout(this.docTimer)
    this.docTimer = null
    this.setCold(this.fullState(), this.doc)
    this.deps.liveDocs.forget(this)
    this.deps.metrics.docDrops++
    this.deps.log.debug(
      { room: this.name, ms: Math.round(performance.now() - t0) },
      'doc dropped to bytes',
    )
    return true
  }

  /** Whether nothing is waiting to be written. */
  get idle(): boolean {
    return !this.writing && this.pending.length === 0
  }

  /**
   * Applies an editor's update to the doc and queues it for the durable write. Returns false if
   * the update does not decode or apply (the caller closes the connection).
   */
  acceptUpdate(update: Uint8Array, origin: Peer | null): boolean {
    try {
      // Parse fully first (every struct, its content and the delete set): applyUpdate on garbage
      // could integrate the structs and then throw in the delete set. diffUpdate against an empty
      // state vector streams through the structs one at a time instead of materialising them all.
      Y.diffUpdate(update, EMPTY_SV)
    } catch {
      return false
    }
    // A cold room revives its doc only for an update that brings something new: a reconnecting
    // client's handshake (everything it holds, usually all known here) is not a write.
    if (!this.doc && !this.coldWouldChange(update)) return true
    const doc = this.live()
    const store = doc.store
    const pendingStructsBefore = store.pendingStructs
    const pendingDsBefore = store.pendingDs
    let diff: Uint8Array | null = null
    const onUpdate = (u: Uint8Array) => {
      diff = diff ? Y.mergeUpdates([diff, u]) : u
    }
    doc.on('update', onUpdate)
    try {
      Y.applyUpdate(doc, update, origin)
    } catch {
      return false
    } finally {
      doc.off('update', onUpdate)
    }
    const persist: Uint8Array[] = []
    if (diff) persist.push(diff)
    // Structs waiting for missing dependencies change no state vector yet; keep them durable too.
    if (store.pendingStructs !== pendingStructsBefore || store.pendingDs !== pendingDsBefore) {
      persist.push(update)
    }
    if (persist.length === 0) return true
    this.gen++
    this.bytes = null // the cached full encoding is stale now
    this.lastWriteAt = Date.now()
    this.deps.liveDocs.touch(this)
    const bytes = persist.reduce((n, u) => n + u.length, 0)
    this.pending.push({ persist, broadcast: diff, origin, bytes })
    this.pendingBytes += bytes
    this.scheduleFlush()
    return true
  }

  /** Whether `update` would change this room's state (tells a viewer's no-op sync step 2 apart). */
  wouldChange(update: Uint8Array): boolean {
    if (!this.doc) return this.coldWouldChange(update)
    const { structs, ds } = Y.decodeUpdate(update)
    return wouldChangeDoc(this.doc, structs, ds)
  }

  /**
   * `wouldChange` for a cold room, without reviving the doc: the structs it lacks are those past
   * its state vector (streamed out with `Y.diffUpdate`, so a client's whole-workbook handshake is
   * never materialised), and every deleted range must already be in its delete set.
   */
  private coldWouldChange(update: Uint8Array): boolean {
    const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, this.coldSv))
    if (structs.some((s) => !(s instanceof Y.Skip))) return true
    if (ds.clients.size === 0) return false
    this.deleted ??= Y.decodeUpdate(this.deleteSetUpdate()).ds.clients
    for (const [client, items] of ds.clients) {
      const own = this.deleted.get(client) ?? []
      for (const { clock, len } of items) {
        if (clock + len > (this.coldSvMap.get(client) ?? 0)) return true
        if (!covers(own, clock, clock + len)) return true
      }
    }
    return false
  }

  private scheduleFlush(): void {
    if (this.writing) return // the loop picks the batch up when the write in flight finishes
    if (this.pendingBytes >= this.deps.limits.BATCH_MAX_BYTES) {
      if (this.batchTimer) clearTimeout(this.batchTimer)
      this.batchTimer = null
      void this.flush()
      return
    }
    if (this.batchTimer || this.batchImmediate) return
    if (this.deps.limits.BATCH_WINDOW_MS <= 0) {
      this.batchImmediate = setImmediate(() => {
        this.batchImmediate = null
        void this.flush()
      })
      return
    }
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
    if (this.batchImmediate) {
      clearImmediate(this.batchImmediate)
      this.batchImmediate = null
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
        const chunks = batch.flatMap((e) => e.persist)
        const merged = chunks.length === 1 ? chunks[0]! : Y.mergeUpdates(chunks)
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
        this.publish(batch, merged)
        this.appendsSinceCompact++
        if (this.appendsSinceCompact >= this.deps.limits.COMPACT_AFTER_APPENDS) await this.compact()
      }
    } finally {
      this.writing = false
      const waiters = this.idleWaiters
      this.idleWaiters = []
      for (const w of waiters) w()
    }
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

  /** Broadcasts a durable batch to the other peers, then tells ack peers what is durable. */
  private publish(batch: PendingEntry[], merged: Uint8Array): void {
    const withChanges = batch.filter((e) => e.broadcast)
    if (withChanges.length === 1) {
      // One edit (the interactive case): its own diff, to everyone but its author.
      const { broadcast, origin } = withChanges[0]!
      const msg = syncUpdateMessage(broadcast!)
      for (const p of this.peers) if (p !== origin) p.send(msg)
    } else if (withChanges.length > 1) {
      // A burst: the batch as the one merged update just stored, one message per peer instead of
      // one per edit. A peer gets its own edits back only when others are in the batch too
      // (Yjs ignores what it has); a peer that wrote the whole batch gets nothing.
      const origins = new Set(withChanges.map((e) => e.origin))
      const msg = syncUpdateMessage(merged)
      for (const p of this.peers) if (origins.size > 1 || !origins.has(p)) p.send(msg)
    }
    let ack: Uint8Array | null = null
    for (const p of this.peers) {
      if (!p.wantsAck) continue
      ack ??= writeDurableMessage(this.durableSv)
      p.send(ack)
      this.deps.metrics.acksSent++
    }
  }

  /** Replaces the stored records with one merged update; failures only delay compaction. */
  async compact(): Promise<void> {
    const { store, metrics, log } = this.deps
    try {
      await store.compact(this.name, this.fullState())
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
    if (this.batchImmediate) clearImmediate(this.batchImmediate)
    if (this.unloadTimer) clearTimeout(this.unloadTimer)
    if (this.docTimer) clearTimeout(this.docTimer)
    this.awareness.destroy()
    this.presenceDoc.destroy()
    this.doc?.destroy()
    this.doc = null
    this.deps.liveDocs.forget(this)
    this.bytes = null
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
