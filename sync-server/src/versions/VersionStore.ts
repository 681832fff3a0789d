import { randomBytes } from 'node:crypto'
import { DEFAULT_RETENTION, type RetentionPolicy, retain, type VersionKind } from '@taizhang/shared'

export type { VersionKind }

/** What the caller says about a version it stores. */
export interface VersionMeta {
  /** Given by a person (保存版本), or empty for automatic ones. */
  name: string
  kind: VersionKind
  /** The token's display name of whoever asked for it; `system` for the schedule. */
  author: string
  /** Unix milliseconds, the server's clock. */
  createdAt: number
  /** SHA-256 (hex) of the uncompressed snapshot: the schedule skips a room whose records it matches. */
  hash: string
}

/** A stored version as listed: its metadata, its id and the size of its stored snapshot. */
export interface StoredVersion extends VersionMeta {
  id: string
  /** Bytes the snapshot takes in storage (gzip-compressed, see SnapshotPacker). */
  bytes: number
}

/**
 * Durable home of workbook versions (issue 13 §3): snapshots (a full Yjs state, compressed by the
 * caller) with their metadata, per room. Two engines: LevelDB beside the doc store and a
 * PostgreSQL table for the cluster; `versionStore.contract.ts` checks both alike.
 */
export interface VersionStore {
  /** Stores `snapshot` as a new version of `room` and makes it durable before resolving. */
  put(room: string, meta: VersionMeta, snapshot: Uint8Array): Promise<StoredVersion>
  /** Every version of `room`, newest first; `[]` for an unknown room. */
  list(room: string): Promise<StoredVersion[]>
  /** The stored snapshot bytes of one version, or null when `room` has no version `id`. */
  get(room: string, id: string): Promise<Uint8Array | null>
  /** Deletes the versions `retain` picks at `now` under `policy`; resolves with their ids. */
  prune(room: string, now: number, policy?: RetentionPolicy): Promise<string[]>
  /**
   * Runs `task` unless another holder (this process or, on PostgreSQL, another server) is running
   * one for `room`: the scheduled capture of a room happens on one server at a time.
   */
  exclusive<T>(
    room: string,
    task: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }>
  /** Waits for pending writes, then releases the engine. */
  close(): Promise<void>
}

/** Version ids: creation time in base 36 (sorts by time) and 32 random bits. */
export const VERSION_ID = /^[0-9a-z]{9}-[0-9a-f]{8}$/

export function newVersionId(createdAt: number): string {
  return `${Math.max(0, Math.floor(createdAt)).toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`
}

/** Newest first; equal times by id, so every engine lists alike. */
export function newestFirst(a: StoredVersion, b: StoredVersion): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

/** The ids `retain` drops from `versions` (the part of `prune` every engine shares). */
export function toPrune(
  versions: readonly StoredVersion[],
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): string[] {
  return retain(versions, now, policy)
}

/** An in-process try-lock per room (LevelDB and memory engines: one server owns its data dir). */
export class RoomLocks {
  private readonly held = new Set<string>()

  async run<T>(
    room: string,
    task: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.held.has(room)) return { ran: false }
    this.held.add(room)
    try {
      return { ran: true, value: await task() }
    } finally {
      this.held.delete(room)
    }
  }
}
