/**
 * Pure helpers of the Redis Streams bus: stream names, entry ids, entries, and the gap check
 * (whether entries after a reader's position were lost). No I/O: `RedisStreamBus` does that.
 */

/** `u` update, `a` awareness, `q` resync request (with a state vector), `r` "resync with me". */
export type EntryType = 'u' | 'a' | 'q' | 'r'

const KEY_PREFIX = 'tz:room:'

/** The stream of a room. */
export const streamKey = (room: string) => `${KEY_PREFIX}${room}`

/** The room of a stream key. */
export const roomOfKey = (key: string) => key.slice(KEY_PREFIX.length)

/** Compares two stream ids `ms-seq` numerically. */
export function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-')
  const [bm = '0', bs = '0'] = b.split('-')
  const d = BigInt(am) - BigInt(bm)
  if (d !== 0n) return d < 0n ? -1 : 1
  const e = BigInt(as) - BigInt(bs)
  return e === 0n ? 0 : e < 0n ? -1 : 1
}

/** The milliseconds part of an entry id (Redis's clock when the entry was added). */
export const idTime = (id: string) => Number(id.split('-')[0])

/** One entry's fields (`s` server, `t` type, `d` data), or null if any is missing. */
export function readEntry(
  fields: Buffer[],
): { from: string; type: string; data: Uint8Array } | null {
  let from: string | undefined
  let type: string | undefined
  let data: Buffer | undefined
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const k = fields[i]!.toString()
    if (k === 's') from = fields[i + 1]!.toString()
    else if (k === 't') type = fields[i + 1]!.toString()
    else if (k === 'd') data = fields[i + 1]
  }
  if (from === undefined || type === undefined || data === undefined) return null
  return { from, type, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/** What XINFO STREAM says about a stream (the fields the gap check needs). */
export interface StreamInfo {
  lastGenerated: string
  entriesAdded: number
  length: number
}

/** Reads XINFO STREAM's flat reply (`[name, value, name, value, …]`). */
export function parseStreamInfo(reply: unknown[]): StreamInfo {
  const field = (k: string) => {
    const i = reply.indexOf(k)
    return i >= 0 ? reply[i + 1] : undefined
  }
  return {
    lastGenerated: String(field('last-generated-id') ?? '0-0'),
    entriesAdded: Number(field('entries-added') ?? 0),
    length: Number(field('length') ?? 0),
  }
}

/** A reader's position in a stream. */
export interface Position {
  /** Last entry id read ('0-0': from the start). */
  lastId: string
  /** How many entries the stream had ever added up to `lastId` (its `entries-added` counter). */
  added: number
}

/**
 * Whether entries after `pos` were lost, and where to read on: trimmed before they were read
 * (more entries deleted from the stream's head than the reader had counted up to `lastId`), or
 * gone with a Redis that lost data (its last id is behind ours, or the stream vanished). `info`
 * null: the stream does not exist.
 */
export function checkPosition(
  pos: Position,
  info: StreamInfo | null,
): { lost: false } | { lost: true; next: Position } {
  const deleted = info ? info.entriesAdded - info.length : 0
  const wentBack = info ? compareIds(info.lastGenerated, pos.lastId) < 0 : pos.lastId !== '0-0'
  if (!wentBack && deleted <= pos.added) return { lost: false }
  // Read on from what the stream still has: all of it if Redis went back, else past our id
  // (everything before the stream's head is deleted and counted).
  return { lost: true, next: { lastId: wentBack ? '0-0' : pos.lastId, added: deleted } }
}
