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

/**
 * A loaded workbook: its Y.Doc, presence, peers, and the write loop that makes every accepted
 * update durable (group commit) before it is broadcast and acknowledged.
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness: awarenessProtocol.Awareness
  readonly peers = new Set<Peer>()
  /** Awareness client id → the peer owning it. */
  readonly owners = new Map<number, Peer>()
  /** Encoded state vector of what storage holds (everything acked is covered). */
  durableSv: Uint8Array
  appendsSinceCompact = 0
  unloadTimer: NodeJS.Timeout | null = null
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
    this.doc.transact(() => {
      for (const u of stored) Y.applyUpdate(this.doc, u)
    })
    this.durableSv = Y.encodeStateVector(this.doc)
    this.appendsSinceCompact = stored.length > 1 ? stored.length : 0
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The server has no presence of its own.
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
    const store = this.doc.store
    const pendingStructsBefore = store.pendingStructs
    const pendingDsBefore = store.pendingDs
    let diff: Uint8Array | null = null
    const onUpdate = (u: Uint8Array) => {
      diff = diff ? Y.mergeUpdates([diff, u]) : u
    }
    this.doc.on('update', onUpdate)
    try {
      Y.applyUpdate(this.doc, update, origin)
    } catch {
      return false
    } finally {
      this.doc.off('update', onUpdate)
    }
    const persist: Uint8Array[] = []
    if (diff) persist.push(diff)
    // Structs waiting for missing dependencies change no state vector yet; keep them durable too.
    if (store.pendingStructs !== pendingStructsBefore || store.pendingDs !== pendingDsBefore) {
      persist.push(update)
    }
    if (persist.length === 0) return true
    const bytes = persist.reduce((n, u) => n + u.length, 0)
    this.pending.push({ persist, broadcast: diff, origin, bytes })
    this.pendingBytes += bytes
    this.scheduleFlush()
    return true
  }

  /** Whether `update` would change this doc (used to tell a viewer's no-op sync step 2 apart). */
  wouldChange(update: Uint8Array): boolean {
    const { structs, ds } = Y.decodeUpdate(update)
    for (const s of structs) {
      if (s instanceof Y.Skip) continue
      if (s.id.clock + s.length > Y.getState(this.doc.store, s.id.client)) return true
    }
    for (const [client, items] of ds.clients) {
      const own = this.doc.store.clients.get(client)
      for (const { clock, len } of items) {
        if (!own || clock + len > Y.getState(this.doc.store, client)) return true
        let i = Y.findIndexSS(own, clock)
        while (i < own.length && own[i]!.id.clock < clock + len) {
          if (!own[i]!.deleted) return true
          i++
        }
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
        const sv = Y.encodeStateVector(this.doc)
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
        this.publish(batch)
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
  private publish(batch: PendingEntry[]): void {
    for (const entry of batch) {
      if (!entry.broadcast) continue
      const msg = syncUpdateMessage(entry.broadcast)
      for (const p of this.peers) if (p !== entry.origin) p.send(msg)
    }
    const ack = writeDurableMessage(this.durableSv)
    for (const p of this.peers) {
      if (!p.wantsAck) continue
      p.send(ack)
      this.deps.metrics.acksSent++
    }
  }

  /** Replaces the stored records with one merged update; failures only delay compaction. */
  async compact(): Promise<void> {
    const { store, metrics, log } = this.deps
    try {
      await store.compact(this.name, Y.encodeStateAsUpdate(this.doc))
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
    this.awareness.destroy()
    this.doc.destroy()
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
