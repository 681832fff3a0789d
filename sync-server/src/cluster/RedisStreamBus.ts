import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { BusMessage, BusMetrics, BusTarget } from './busPorts.js'
import {
  checkPosition,
  compareIds,
  type EntryType,
  idTime,
  type Position,
  parseStreamInfo,
  readEntry,
  roomOfKey,
  type StreamInfo,
  streamKey,
} from './streams.js'

export type { BusMessage, BusMetrics, BusRoom, BusTarget } from './busPorts.js'

export interface RedisStreamBusOptions {
  url: string
  serverId: string
  log: Logger
  maxLen?: number
  ttlMs?: number
  /** XREAD BLOCK timeout: how long a newly watched room may wait to join the read (default 200). */
  blockMs?: number
  /** Entries read per stream per XREAD (default 256); a full batch triggers a gap check. */
  readCount?: number
  metrics?: BusMetrics
}

interface Watch extends Position {
  /** A `q` is due once the room is loaded. */
  resync: boolean
  /** Check whether entries after `lastId` were lost. */
  checkGap: boolean
  /** Our publishes failed (Redis refused them): ask the others to resync with us (an `r` entry). */
  nudge: boolean
  /**
   * When the room is due to be reloaded from the store (ms timestamps, soonest first): what the
   * stream lost and no live server can answer any more (its publisher died) is durable there.
   */
  reloads: number[]
  /** Entries published shortly before the watch began, replayed once the room is loaded. */
  replay: { from: string; to: string } | null
}

const EMPTY = new Uint8Array(0)
/** Least time between two `r` entries of this server (Redis may still be refusing). */
const NUDGE_EVERY_MS = 1000
/** Least time between two PEXPIREs of one stream (its TTL is 24 h by default). */
const EXPIRE_REFRESH_MS = 60_000
/** Wait before asking again when a remote update could not be applied (storage unavailable). */
const RESYNC_RETRY_MS = 1000
/** How often the watched streams' lengths are sampled for the metric. */
const STREAM_SAMPLE_MS = 10_000
/**
 * A second reload after a disturbance, for updates whose commit was still in flight at the first
 * (their publisher may be dead by now, its entry lost with Redis).
 */
const RELOAD_AGAIN_MS = 5000
/**
 * How far before its watch a room replays its stream once loaded: an update published just before
 * the watch, not yet durable when the room read the store, whose publisher dies before answering
 * our resync request, would otherwise be missed (its sender has its acknowledgement by then).
 */
const REPLAY_LOOKBACK_MS = 60_000
/** At most this many entries are replayed (the store and the resync request cover the rest). */
const REPLAY_MAX = 2000
/**
 * Cross-server fan-out on Redis Streams (ioredis), one stream per room: `tz:room:<room>`.
 *
 * Every entry is `s` (the publishing server's id), `t` (`u` a Yjs update, `a` an awareness
 * update, `q` a resync request carrying the requester's state vector, `r` a server whose
 * publishes failed asking the others for a `q`) and `d` (the bytes).
 *
 * Why streams and not pub/sub: a server reads each watched stream with XREAD from the last id it
 * saw, so after a dropped connection (or a Redis restart with its append-only file) it continues
 * where it stopped instead of losing what was published meanwhile.
 *
 * How far back: each stream keeps about `maxLen` entries (XADD MAXLEN ~, default 10,000 per room)
 * and expires `ttlMs` (default 24 h) after its last entry. A server whose last id fell out of that
 * window (it lagged more than `maxLen` entries behind: the stream's `entries-added` minus its
 * `length` exceeds what it counted; or Redis lost entries: its `last-generated-id` is behind ours,
 * or the stream vanished; `streams.ts`, `checkPosition`) cannot catch up from the stream: it reloads the
 * room from the store (Postgres: everything durable) and asks the other servers for the rest (a `q`
 * entry: every server holding the room live answers with what the requester's state vector lacks,
 * which covers updates not yet durable anywhere). A server also sends a `q` when it starts
 * watching a room and after every reconnect, so nothing published in the gaps is missed.
 *
 * Three holes a `q` alone leaves, each closed here (regression tests in RedisStreamBus.test.ts):
 * - the `q` itself fails because the publishing connection is still reconnecting: requests wait
 *   until it is ready, and a failed `q` is sent again;
 * - Redis lost an entry (SIGKILL within its one-second fsync window) whose publisher died since,
 *   so nobody answers the `q`: after every reconnect (and on an `r`) the room is reloaded from the
 *   store, then once more 5 s later for commits that were still in flight;
 * - a room starts watching just after an entry was published, reads the store before that entry's
 *   commit, and its publisher dies before answering: once loaded, the room replays the stream's
 *   last minute of updates.
 *
 * Delivery is at-least-once and Yjs updates are idempotent, so duplicates are harmless.
 */
export class RedisStreamBus {
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly watches = new Map<string, Watch>()
  private target: BusTarget | null = null
  private closed = false
  private loop: Promise<void> | null = null
  private connectedOnce = false
  private up = false
  private readonly maxLen: number
  private readonly ttlMs: number
  private readonly blockMs: number
  private readonly readCount: number
  private lastSampleAt = 0
  private lastNudgeAt = 0
  /** When each room's stream expiry was last pushed back. */
  private readonly expiresPushed = new Map<string, number>()

  /**
   * Builds a bus with ioredis loaded on demand: a server without `--bus` never loads it (about
   * 10 MiB of resident memory, measured), and the bundle keeps the import lazy.
   */
  static async create(opts: RedisStreamBusOptions): Promise<RedisStreamBus> {
    const { Redis: RedisClient } = await import('ioredis')
    return new RedisStreamBus(opts, RedisClient)
  }

  private constructor(
    private readonly opts: RedisStreamBusOptions,
    RedisClient: typeof Redis,
  ) {
    this.maxLen = opts.maxLen ?? 10_000
    this.ttlMs = opts.ttlMs ?? 24 * 3600_000
    this.blockMs = opts.blockMs ?? 200
    this.readCount = opts.readCount ?? 256
    const common = {
      lazyConnect: true,
      // Reconnect forever, at most every 2 s: a Redis restart must not need a server restart.
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    }
    // Publishes fail fast while Redis is down (the resync after the reconnect covers them), and a
    // Redis that hangs rather than refusing must not hold a room load or a publish forever.
    this.pub = new RedisClient(opts.url, {
      ...common,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 5000,
    })
    this.sub = new RedisClient(opts.url, {
      ...common,
      maxRetriesPerRequest: null,
      commandTimeout: 10_000,
    })
    for (const c of [this.pub, this.sub]) {
      // ioredis logs and reconnects by itself; the event must have a listener or Node throws.
      c.on('error', (err: Error) =>
        opts.log.debug({ err: err.message }, 'redis bus connection error'),
      )
    }
    this.sub.on('ready', () => {
      this.up = true
      if (this.connectedOnce) {
        opts.log.info('redis bus reconnected: resyncing every watched room')
        const now = Date.now()
        for (const w of this.watches.values()) {
          w.resync = true
          w.checkGap = true
          // Redis may have lost entries whose publisher is gone (SIGKILLed since): they are
          // durable, so the store has them now or, if the commit was in flight, a little later.
          w.reloads = [now, now + RELOAD_AGAIN_MS]
        }
      }
      this.connectedOnce = true
    })
    this.sub.on('close', () => {
      this.up = false
    })
  }

  /** Connects both connections (`watch` needs it; `start` does it too). */
  async connect(): Promise<void> {
    const open = (c: Redis) => (c.status === 'wait' ? c.connect() : Promise.resolve())
    await Promise.all([open(this.pub), open(this.sub)])
  }

  /** Connects and starts the read loop; `target` receives what other servers publish. */
  async start(target: BusTarget): Promise<void> {
    this.target = target
    await this.connect()
    this.loop ??= this.readLoop()
  }

  /** Whether the read connection is up now. */
  get connected(): boolean {
    return this.up
  }

  /**
   * Starts watching `room` from the stream's current end. Call it before reading the room from
   * the store: whatever is published after this returns is read from the stream, whatever was
   * published before is either in the store or in the answers to the resync request.
   */
  async watch(room: string): Promise<void> {
    if (this.watches.has(room)) return
    let pos = { lastId: '0-0', added: 0 }
    let replay: Watch['replay'] = null
    try {
      const info = await this.streamInfo(room)
      if (info) {
        pos = { lastId: info.lastGenerated, added: info.entriesAdded }
        const from = Math.max(0, idTime(info.lastGenerated) - REPLAY_LOOKBACK_MS)
        if (info.length > 0) replay = { from: `${from}-0`, to: info.lastGenerated }
      }
    } catch (err) {
      // Redis down: read from the start once it is back (bounded by maxLen; duplicates are harmless).
      this.opts.log.warn({ err: (err as Error).message, room }, 'redis bus: watch without position')
    }
    this.watches.set(room, {
      ...pos,
      resync: true,
      checkGap: false,
      nudge: false,
      reloads: [],
      replay,
    })
  }

  /** Stops watching an unloaded room. */
  unwatch(room: string): void {
    this.watches.delete(room)
    this.expiresPushed.delete(room)
  }

  get watching(): number {
    return this.watches.size
  }

  /** Publishes one message of `room` for the other servers (never delivered back here). */
  publish(room: string, msg: BusMessage): void {
    this.xadd(room, msg.type === 'update' ? 'u' : 'a', msg.update)
  }

  private xadd(room: string, type: EntryType, data: Uint8Array): void {
    if (this.closed) return
    const key = streamKey(room)
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    const added = this.pub.call(
      'XADD',
      key,
      'MAXLEN',
      '~',
      this.maxLen,
      '*',
      's',
      this.opts.serverId,
      't',
      type,
      'd',
      bytes,
    )
    // The stream's expiry is pushed back at most once a minute per room, not on every entry.
    const now = Date.now()
    if (now - (this.expiresPushed.get(room) ?? 0) >= EXPIRE_REFRESH_MS) {
      this.expiresPushed.set(room, now)
      void this.pub.pexpire(key, this.ttlMs).catch(() => this.expiresPushed.delete(room))
    }
    void added.then(
      () => this.opts.metrics?.published(type),
      (err: Error) => {
        // Lost for the bus only: the local peers and the store have it, and every server resyncs
        // its rooms after Redis comes back.
        this.opts.metrics?.publishFailed()
        this.opts.log.debug({ err: err.message, room }, 'redis bus publish failed')
        // Redis refused it while connected (out of memory, a timeout) or was down: once it
        // accepts entries again, the other servers are asked to resync with this one.
        const w = this.watches.get(room)
        // Our resync request itself was lost: ask again later (the others' answers are what we lack).
        if (w && type === 'q') this.resyncLater(room)
        else if (w && type !== 'a') w.nudge = true
      },
    )
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      try {
        await this.maintain()
        await this.readOnce()
      } catch (err) {
        if (this.closed) return
        this.opts.log.debug({ err: (err as Error).message }, 'redis bus read failed; retrying')
        await new Promise((r) => setTimeout(r, Math.min(this.blockMs, 500)))
      }
    }
  }

  /** Resync requests and gap checks that are due (each watch's flags, cleared once done). */
  private async maintain(): Promise<void> {
    const target = this.target
    if (!target) return
    if (this.opts.metrics && Date.now() - this.lastSampleAt >= STREAM_SAMPLE_MS) {
      this.lastSampleAt = Date.now()
      const names = [...this.watches.keys()]
      const p = this.pub.pipeline()
      for (const n of names) p.xlen(streamKey(n))
      const res = (await p.exec()) ?? []
      names.forEach((n, i) => {
        const len = res[i]?.[1]
        if (typeof len === 'number') this.opts.metrics?.streamLength(n, len)
      })
    }
    // Requests published while the publishing connection is still reconnecting would fail: wait.
    if (this.pub.status !== 'ready') return
    const now = Date.now()
    for (const [name, w] of this.watches) {
      if (w.checkGap) {
        await this.checkGap(name, w)
        w.checkGap = false
      }
      const due = w.reloads[0]
      if (due !== undefined && due <= now) {
        if (await this.reloadFromStore(name)) w.reloads.shift()
        // The store is unavailable (PostgreSQL restarting): try again shortly, keep reading meanwhile.
        else w.reloads[0] = now + RESYNC_RETRY_MS
      }
      if (w.nudge && now - this.lastNudgeAt >= NUDGE_EVERY_MS) {
        this.lastNudgeAt = now
        w.nudge = false
        this.xadd(name, 'r', EMPTY)
      }
      if (w.resync) {
        const room = target.peek(name)
        if (!room) continue // still loading: asked once it is there
        w.resync = false
        this.xadd(name, 'q', room.stateVector())
        if (w.replay) {
          const { from, to } = w.replay
          w.replay = null
          await this.replayRange(name, from, to)
        }
      }
    }
  }

  /** Delivers the updates of other servers in the stream between two ids (inclusive), once. */
  private async replayRange(name: string, from: string, to: string): Promise<void> {
    const entries = (await this.pub.callBuffer(
      'XRANGE',
      streamKey(name),
      from,
      to,
      'COUNT',
      REPLAY_MAX,
    )) as [Buffer, Buffer[]][]
    for (const [, fields] of entries) {
      const entry = readEntry(fields)
      // Only updates: old resync requests were answered, old nudges were acted on.
      if (entry?.type === 'u') await this.deliver(name, entry)
    }
  }

  /** XINFO STREAM's counters, or null when the stream does not exist. */
  private async streamInfo(room: string): Promise<StreamInfo | null> {
    try {
      return parseStreamInfo((await this.pub.call('XINFO', 'STREAM', streamKey(room))) as unknown[])
    } catch (err) {
      if (/no such key/i.test((err as Error).message)) return null
      throw err
    }
  }

  /** Checks the watch's position (`checkPosition`); when entries were lost, reloads the room. */
  private async checkGap(name: string, w: Watch): Promise<void> {
    const info = await this.streamInfo(name)
    this.opts.metrics?.streamLength(name, info?.length ?? 0)
    const verdict = checkPosition(w, info)
    if (!verdict.lost) return
    this.opts.log.warn(
      { room: name, lastId: w.lastId },
      'redis bus: entries lost; reloading the room',
    )
    // Read on from what the stream still has, fill the rest from the store, and ask the live
    // servers for what is not durable yet.
    Object.assign(w, verdict.next)
    w.resync = true
    w.reloads.unshift(Date.now())
  }

  /**
   * Applies everything durable of a room to it again (what the stream could not deliver). False
   * when the store could not be read (the caller retries later).
   */
  private async reloadFromStore(name: string): Promise<boolean> {
    const target = this.target
    if (!target?.peek(name)) return true
    let records: Uint8Array[]
    try {
      records = await target.loadStored(name)
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message, room: name }, 'redis bus: reload failed')
      return false
    }
    const room = target.peek(name)
    if (!room) return true
    for (const update of records) await room.receiveRemote({ type: 'update', update })
    this.opts.metrics?.reloaded()
    return true
  }

  private async readOnce(): Promise<void> {
    // A room still loading is not read yet: its entries wait in the stream until it is there.
    const names = [...this.watches.keys()].filter((n) => this.target?.peek(n) !== undefined)
    if (names.length === 0) {
      await new Promise((r) => setTimeout(r, this.blockMs))
      return
    }
    const ids = names.map((n) => this.watches.get(n)!.lastId)
    const res = (await this.sub.callBuffer(
      'XREAD',
      'COUNT',
      this.readCount,
      'BLOCK',
      this.blockMs,
      'STREAMS',
      ...names.map(streamKey),
      ...ids,
    )) as [Buffer, [Buffer, Buffer[]][]][] | null
    if (!res) return
    const now = Date.now()
    for (const [keyBuf, entries] of res) {
      const name = roomOfKey(keyBuf.toString())
      const w = this.watches.get(name)
      if (!w) continue
      for (const [idBuf, fields] of entries) {
        const id = idBuf.toString()
        if (compareIds(id, w.lastId) <= 0) continue
        w.lastId = id
        w.added++
        this.opts.metrics?.lag(Math.max(0, now - idTime(id)) / 1000)
        await this.deliver(name, readEntry(fields))
      }
      // A full batch: we are behind; make sure nothing was trimmed before we got to it.
      if (entries.length >= this.readCount) w.checkGap = true
    }
  }

  /** Delivers one entry (parsed once by the caller with `readEntry`; null: malformed, skipped). */
  private async deliver(name: string, entry: ReturnType<typeof readEntry>): Promise<void> {
    if (!entry || entry.from === this.opts.serverId) return
    const room = this.target?.peek(name)
    if (!room) return
    const { type, data: bytes } = entry
    try {
      if (type === 'u') {
        // Not awaited: a cold room revives in the background and keeps arrival order in its inbox.
        void Promise.resolve(room.receiveRemote({ type: 'update', update: bytes })).then(
          (result) => {
            if (result === 'invalid')
              this.opts.log.warn({ room: name }, 'remote update refused as invalid')
            // The room could not read its storage (a cold room reviving while the database is
            // down): ask the live servers again a little later instead of losing the update.
            if (result === 'unavailable') this.resyncLater(name)
          },
          (err: unknown) => this.opts.log.warn({ err, room: name }, 'remote update failed'),
        )
      } else if (type === 'a') {
        room.receiveRemote({ type: 'awareness', update: bytes })
      } else if (type === 'r') {
        // Another server could not publish some of its updates: what it has made durable since is
        // in the store (its room may be cold by now), the rest it answers to our resync request.
        const w = this.watches.get(name)
        if (w) {
          const now = Date.now()
          w.reloads = [now, now + RELOAD_AGAIN_MS]
          w.resync = true
        }
      } else if (type === 'q') {
        // Cold rooms hold nothing that is not durable: the requester has it from the store.
        if (!room.isLive) return
        const diff = await room.syncStep2(bytes)
        this.xadd(name, 'u', diff)
      }
    } catch (err) {
      this.opts.log.warn({ err, room: name, type }, 'redis bus: bad entry ignored')
    }
  }

  private readonly retryTimers = new Map<string, NodeJS.Timeout>()

  /** Sends the room's resync request again after RESYNC_RETRY_MS (once per room at a time). */
  private resyncLater(name: string): void {
    if (this.retryTimers.has(name) || this.closed) return
    const timer = setTimeout(() => {
      this.retryTimers.delete(name)
      const w = this.watches.get(name)
      if (w) w.resync = true
    }, RESYNC_RETRY_MS)
    timer.unref()
    this.retryTimers.set(name, timer)
  }

  /** Stops reading and closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const t of this.retryTimers.values()) clearTimeout(t)
    this.retryTimers.clear()
    this.sub.disconnect()
    await this.loop?.catch(() => undefined)
    await this.pub.quit().catch(() => this.pub.disconnect())
  }
}
