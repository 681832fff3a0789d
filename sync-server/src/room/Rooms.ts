import type { Peer } from '../Peer.js'
import { type Clock, systemClock, type Timer } from './clock.js'
import { Room, type RoomDeps } from './Room.js'

/**
 * Room registry: single-flight loads, idle unloads, flush-all at shutdown. It alone decides when a
 * room is unloaded (it owns the unload timers); the room itself decides everything else.
 */
export class Rooms {
  private readonly loaded = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room>>()
  private readonly unloadTimers = new Map<Room, Timer>()
  private readonly clock: Clock

  constructor(private readonly deps: RoomDeps) {
    this.clock = deps.clock ?? systemClock
  }

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
    // cluster: watch the room's bus stream first (what is published during the read is not lost).
    await this.deps.relay?.beforeLoad?.(name)
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
    this.cancelUnload(room)
    room.join(peer)
  }

  /** Removes a peer; schedules an unload when it was the last one. */
  leave(room: Room, peer: Peer): void {
    room.leave(peer)
    if (room.peers.size === 0) this.scheduleUnload(room)
  }

  /** Schedules the unload of a room nobody joined (its only client left during the load). */
  release(room: Room): void {
    if (room.peers.size === 0 && !this.unloadTimers.has(room)) this.scheduleUnload(room)
  }

  private cancelUnload(room: Room): void {
    this.unloadTimers.get(room)?.cancel()
    this.unloadTimers.delete(room)
  }

  private scheduleUnload(room: Room): void {
    this.cancelUnload(room)
    const timer = this.clock.after(
      this.deps.limits.ROOM_IDLE_UNLOAD_MS,
      () => {
        if (this.unloadTimers.get(room) === timer) this.unloadTimers.delete(room)
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
        this.deps.relay?.unloaded?.(room.name) // cluster: stop reading its bus stream
        this.deps.log.debug({ room: room.name }, 'room unloaded')
      },
      { unref: true },
    )
    this.unloadTimers.set(room, timer)
  }

  /** Writes every pending update (retrying until `giveUpAt`), then forgets all rooms. */
  async flushAll(giveUpAt: number): Promise<void> {
    const rooms = [...this.loaded.values()]
    await Promise.all(
      rooms.map(async (room) => {
        room.giveUpAfter(giveUpAt)
        try {
          await room.flush()
        } catch (err) {
          this.deps.log.error({ err, room: room.name }, 'flush at shutdown failed')
        }
      }),
    )
    for (const room of rooms) {
      this.cancelUnload(room)
      room.destroy()
      this.deps.relay?.unloaded?.(room.name) // cluster: stop reading its bus stream
    }
    this.loaded.clear()
  }
}
