import { DEFAULT_RETENTION, type RetentionPolicy } from '@taizhang/shared'
import type { Logger } from 'pino'
import type { DocStore } from '../storage/DocStore.js'
import { type PackedSnapshot, SnapshotPacker } from './SnapshotPacker.js'
import type { StoredVersion, VersionKind, VersionStore } from './VersionStore.js'

/** Default period of scheduled versions: a room that changed gets one an hour (`--versions-every`). */
export const VERSION_EVERY_MS = 60 * 60_000

/** Where a capture reads a room's state (main.ts: its pending updates written, then its records). */
export interface SnapshotSource {
  /**
   * The room's state as Yjs updates (apply them all), or null when nothing is stored. The arrays
   * are handed over: the keeper transfers them to its worker (see `SnapshotPacker.pack`), so they
   * must not be used elsewhere (every DocStore's `load` returns fresh arrays).
   */
  read(room: string): Promise<Uint8Array[] | null>
}

/** A version as the HTTP API shows it (no hash). */
export interface VersionView {
  id: string
  name: string
  kind: VersionKind
  createdAt: number
  author: string
  bytes: number
}

export const viewOf = (v: StoredVersion): VersionView => ({
  id: v.id,
  name: v.name,
  kind: v.kind,
  createdAt: v.createdAt,
  author: v.author,
  bytes: v.bytes,
})

export interface VersionKeeperDeps {
  store: VersionStore
  source: SnapshotSource
  /** Every stored room, read once by the first scheduled pass (rooms changed before a restart). */
  listRooms: () => Promise<string[]>
  log: Logger
  now: () => number
  /** Period of the scheduled pass; 0 turns the schedule off (on-demand versions still work). */
  everyMs: number
  policy?: RetentionPolicy
}

/**
 * Takes versions of workbooks (issue 13 §3): on demand (the API: 保存版本, before an import, before
 * a rollback) and on a schedule. A snapshot is the room's full state: its stored records (after
 * the room's pending updates are written), framed, hashed and gzip-compressed on a worker thread
 * (`SnapshotPacker`), so the event loop only reads the records and hands them over; opening a
 * version merges them into one Yjs update, on the same worker.
 *
 * Schedule: every `everyMs`, each room marked changed (an append reached storage through this
 * server since its last pass; at start every stored room) is captured, one room after another,
 * unless a version of it is younger than `everyMs` (it stays marked for the next pass) or its
 * state hashes the same as its newest version (nothing changed). On a cluster each server marks the
 * rooms its own clients wrote, and `VersionStore.exclusive` (a PostgreSQL advisory lock) with the
 * age check lets one server capture a room per period. Each capture is followed by a prune
 * (`retain`, shared/src/versions/retention.ts).
 */
export class VersionKeeper {
  private readonly changed = new Set<string>()
  private listedStored = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private running: Promise<string[]> | null = null
  private stopped = false
  private readonly packer = new SnapshotPacker()

  constructor(private readonly deps: VersionKeeperDeps) {}

  /** A `DocStore` that marks a room changed whenever an update of it is appended. */
  watch(store: DocStore): DocStore {
    return {
      load: (room) => store.load(room),
      append: async (room, update) => {
        await store.append(room, update)
        this.changed.add(room)
      },
      compact: (room, merged) => store.compact(room, merged),
      list: () => store.list(),
      close: () => store.close(),
    }
  }

  /** Starts the schedule (nothing when `everyMs` is 0). */
  start(): void {
    if (this.deps.everyMs <= 0 || this.stopped) return
    const arm = () => {
      this.timer = setTimeout(() => {
        void this.tick().finally(() => {
          if (!this.stopped) arm()
        })
      }, this.deps.everyMs)
      this.timer.unref()
    }
    arm()
  }

  /** Stops the schedule, waits for a pass in progress, stops the worker. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running?.catch(() => undefined)
    await this.packer.close()
  }

  /** Versions of `room`, newest first. */
  async list(room: string): Promise<VersionView[]> {
    return (await this.deps.store.list(room)).map(viewOf)
  }

  /** The full Yjs update of one version, or null when `room` has no such version. */
  async read(room: string, id: string): Promise<Uint8Array | null> {
    const stored = await this.deps.store.get(room, id)
    return stored && (await this.packer.unpack(stored))
  }

  /** Takes a version of `room` now; null when the room has nothing stored. */
  async capture(
    room: string,
    meta: { name: string; kind: VersionKind; author: string },
  ): Promise<VersionView | null> {
    const snap = await this.snapshot(room)
    if (!snap) return null
    return viewOf(await this.store(room, meta, snap))
  }

  /**
   * One scheduled pass: captures the changed rooms that are due; resolves with the ids of the new
   * versions. Passes never overlap (a second call waits for the first and returns its result).
   */
  tick(): Promise<string[]> {
    this.running ??= this.pass().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async pass(): Promise<string[]> {
    if (!this.listedStored) {
      this.listedStored = true
      for (const room of await this.deps.listRooms()) this.changed.add(room)
    }
    const made: string[] = []
    for (const room of [...this.changed]) {
      if (this.stopped) break
      this.changed.delete(room)
      try {
        const out = await this.deps.store.exclusive(room, () => this.scheduled(room))
        // Another server is capturing it: it stays marked, the next pass looks again.
        if (!out.ran || out.value === 'not-due') this.changed.add(room)
        else if (out.value !== 'unchanged' && out.value !== 'gone') made.push(out.value)
      } catch (err) {
        this.changed.add(room)
        this.deps.log.warn({ err, room }, 'scheduled version failed; retried at the next pass')
      }
    }
    return made
  }

  private async scheduled(room: string): Promise<string | 'not-due' | 'unchanged' | 'gone'> {
    const [newest] = await this.deps.store.list(room)
    const now = this.deps.now()
    // A little slack, so a pass that fires a few ms early still counts the last one as due.
    if (newest && now - newest.createdAt < this.deps.everyMs * 0.95) return 'not-due'
    const snap = await this.snapshot(room)
    if (!snap) return 'gone'
    if (newest && newest.hash === snap.hash) return 'unchanged'
    const v = await this.store(room, { name: '', kind: 'auto', author: 'system' }, snap)
    return v.id
  }

  private async snapshot(room: string): Promise<PackedSnapshot | null> {
    const updates = await this.deps.source.read(room)
    if (!updates || updates.length === 0) return null
    return this.packer.pack(updates)
  }

  private async store(
    room: string,
    meta: { name: string; kind: VersionKind; author: string },
    snap: PackedSnapshot,
  ): Promise<StoredVersion> {
    const createdAt = this.deps.now()
    const v = await this.deps.store.put(room, { ...meta, createdAt, hash: snap.hash }, snap.packed)
    const pruned = await this.deps.store.prune(
      room,
      createdAt,
      this.deps.policy ?? DEFAULT_RETENTION,
    )
    this.deps.log.info(
      {
        room,
        id: v.id,
        kind: v.kind,
        bytes: v.bytes,
        raw: snap.raw,
        pruned: pruned.length,
      },
      'version captured',
    )
    return v
  }
}
