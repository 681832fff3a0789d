import type { AddressInfo } from 'node:net'
import { CLOSE } from '@taizhang/shared'
import type { Logger } from 'pino'
import { Attester } from './attest/Attester.js'
import type { Cluster } from './cluster/createCluster.js'
import { LIMITS, type Limits } from './limits.js'
import { createMetrics, type Metrics } from './metrics.js'
import { createAccessPolicy } from './policy/AccessPolicy.js'
import { Reclaimer } from './reclaim.js'
import { LiveDocs, Rooms } from './rooms.js'
import { createHttpServer } from './server.js'
import type { DocStore } from './storage/DocStore.js'
// versions (issue 13 §3)
import { VERSION_EVERY_MS, VersionKeeper } from './versions/VersionKeeper.js'
import type { VersionStore } from './versions/VersionStore.js'

/** Everything the server needs, built by the caller (the CLI or a test): no env reads below. */
export interface ServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  store: DocStore
  secret: string
  log: Logger
  webDir: string
  /** Base of share links; defaults to http://host:port. */
  publicUrl?: string
  allowOrigins?: string[]
  devAnonymous?: boolean
  limits?: Partial<Limits>
  now?: () => number
  /**
   * A full GC (Node's `globalThis.gc` under `--expose-gc`), run once the server is quiet after
   * large allocations were let go (reclaim.ts). Absent: V8's own heuristics decide.
   */
  gc?: () => void
  /** cluster (issue #17): the bus and health of a server that is one of several (`createCluster`). */
  cluster?: Cluster
  /** access (issue 16): enforce access rules on updates (default on; off for the bench's reference). */
  accessRules?: boolean
  /**
   * attestation (issue 13 §4): bind client ids to token identities and record receive times.
   * On unless `false` (`taizhang serve --no-attest`, for a reference run in benchmarks).
   */
  attest?: boolean
  /** versions (issue 13 §3): where versions are kept; absent: none (those API routes answer 503). */
  versions?: VersionStore
  /** Period of scheduled versions in ms (default VERSION_EVERY_MS, an hour); 0: no schedule. */
  versionEveryMs?: number
}

export interface RunningServer {
  port: number
  /** http://host:port */
  url: string
  publicUrl: string
  metrics: Metrics
  rooms: Rooms
  /** versions (issue 13 §3): present when `ServerOptions.versions` was given. */
  versions?: VersionKeeper
  /**
   * Graceful stop: refuse new connections, close sockets (1001), write every pending update,
   * close storage. Bounded by SHUTDOWN_TIMEOUT_MS.
   */
  close(): Promise<void>
}

/** Composition root of a running server. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const limits: Limits = { ...LIMITS, ...opts.limits }
  if (limits.BATCH_WINDOW_MS > 50) throw new Error('BATCH_WINDOW_MS must be ≤ 50')
  let rooms: Rooms | null = null
  const liveDocs = new LiveDocs(limits.MAX_LIVE_DOCS, limits.LIVE_DOC_MIN_IDLE_MS)
  const reclaimer = new Reclaimer(opts.gc, {
    minBytes: limits.RECLAIM_MIN_BYTES,
    quietMs: limits.RECLAIM_QUIET_MS,
    liveBytes: () => liveDocs.bytes(),
    maxLiveBytes: limits.RECLAIM_MAX_LIVE_BYTES,
  })
  const metrics = createMetrics(
    () => rooms?.size ?? 0,
    () => rooms?.liveDocs ?? 0,
    reclaimer,
  )
  // versions (issue 13 §3): a capture writes the room's pending updates, then reads its stored
  // records (merged off the event loop: a live doc's encode would stall it); appends mark rooms
  // changed for the schedule
  const keeper = opts.versions
    ? new VersionKeeper({
        store: opts.versions,
        source: {
          read: async (id) => {
            await rooms?.peek(id)?.flush()
            const records = await opts.store.load(id)
            return records.length > 0 ? records : null
          },
        },
        listRooms: () => opts.store.list(),
        log: opts.log,
        now: opts.now ?? Date.now,
        everyMs: opts.versionEveryMs ?? VERSION_EVERY_MS,
      })
    : undefined
  rooms = new Rooms({
    store: keeper ? keeper.watch(opts.store) : opts.store,
    log: opts.log,
    metrics,
    limits,
    liveDocs,
    released: (bytes) => reclaimer.note(bytes),
    relay: opts.cluster?.relay, // cluster: fan-out to the other servers
    // access (issue 16): rules at the door
    policy: opts.accessRules === false ? undefined : createAccessPolicy(opts.now ?? Date.now),
    // attestation (issue 13 §4), on by default (see ServerOptions.attest)
    attester: opts.attest === false ? undefined : new Attester(opts.secret, opts.now ?? Date.now),
  })
  await opts.cluster?.attach(rooms, opts.store)
  const base = {
    rooms,
    store: opts.store, // read API (src/api/)
    log: opts.log,
    metrics,
    limits,
    secret: opts.secret,
    webDir: opts.webDir,
    allowOrigins: opts.allowOrigins ?? [],
    devAnonymous: opts.devAnonymous ?? false,
    now: opts.now ?? Date.now,
    publicUrl: '',
    cluster: opts.cluster, // cluster: /healthz and /metrics
    versions: keeper, // versions (issue 13 §3)
  }
  const { server, wss } = createHttpServer(base)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostForUrl = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host
  const url = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`
  base.publicUrl = opts.publicUrl ?? url
  if (opts.devAnonymous) {
    opts.log.warn('DEV ANONYMOUS MODE: anyone who can reach this port can edit every workbook')
  }

  keeper?.start() // versions: the schedule

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      const giveUpAt = Date.now() + limits.SHUTDOWN_TIMEOUT_MS
      const serverClosed = new Promise<void>((r) => server.close(() => r()))
      // Each step is guarded on its own: one failing must not skip the flush.
      for (const ws of wss.clients) {
        try {
          ws.close(CLOSE.goingAway.code, CLOSE.goingAway.reason)
        } catch (err) {
          opts.log.warn({ err }, 'close socket failed')
        }
      }
      await keeper?.stop().catch((err: unknown) => opts.log.warn({ err }, 'versions stop failed'))
      try {
        await rooms.flushAll(giveUpAt)
      } catch (err) {
        opts.log.error({ err }, 'flush failed')
      }
      try {
        await opts.cluster?.close() // cluster: stop the bus before storage
      } catch (err) {
        opts.log.error({ err }, 'bus close failed')
      }
      try {
        await opts.store.close()
      } catch (err) {
        opts.log.error({ err }, 'store close failed')
      }
      await opts.versions?.close().catch((err: unknown) => {
        opts.log.error({ err }, 'version store close failed')
      })
      reclaimer.stop()
      for (const ws of wss.clients) ws.terminate()
      server.closeAllConnections()
      await serverClosed
    })()
    return closing
  }
  return { port, url, publicUrl: base.publicUrl, metrics, rooms, versions: keeper, close }
}
