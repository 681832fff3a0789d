import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Logger } from 'pino'
import type { RoomOutbound, RoomRelay } from '../room/Room.js'
import type { Rooms } from '../room/Rooms.js'
import type { DocStore } from '../storage/DocStore.js'
import { createPostgresDocStore, type PostgresDocStore } from '../storage/postgresDocStore.js'
import { type ClusterMetrics, createClusterMetrics } from './clusterMetrics.js'
import { RedisStreamBus } from './RedisStreamBus.js'

/** What `/healthz` reports: degraded while the store cannot be reached (writes and acks wait). */
export interface ClusterHealth {
  status: 'ok' | 'degraded'
  store: 'ok' | 'down'
  bus?: 'ok' | 'down'
}

/**
 * The pieces a server needs to run as one of several behind a load balancer, built by the
 * composition root from `--store postgres://…` and `--bus redis://…`.
 */
export interface Cluster {
  /** This server's id on the bus (host name + random suffix: unique per process). */
  serverId: string
  /** Postgres store, or undefined when the server keeps its own (LevelDB). */
  store?: DocStore
  /** Handed to `Rooms` (watch before load, publish, unwatch at unload); undefined without a bus. */
  relay?: RoomRelay
  /** Starts delivering other servers' messages to `rooms`. */
  attach(rooms: Rooms, store: DocStore): Promise<void>
  health(): ClusterHealth
  /** Prometheus text of the cluster metrics (appended to /metrics). */
  metricsText(): Promise<string>
  /** Stops the bus (the store is closed by the server with the rest of storage). */
  close(): Promise<void>
}

export interface ClusterOptions {
  /** postgres://… (documents in PostgreSQL) or undefined. */
  storeUrl?: string
  /** redis://… (fan-out between servers) or undefined. */
  busUrl?: string
  serverId?: string
  log: Logger
  /** Bus tuning (tests): entries kept per room stream, XREAD block. */
  busMaxLen?: number
  busBlockMs?: number
}

/** Least time between two store probes triggered by /healthz. */
const HEALTH_PROBE_MS = 1000

export async function createCluster(opts: ClusterOptions): Promise<Cluster> {
  const serverId = opts.serverId ?? `${hostname()}-${randomUUID().slice(0, 8)}`
  const metrics: ClusterMetrics = createClusterMetrics()
  const log = opts.log.child({ serverId })
  let store: PostgresDocStore | undefined
  let lastProbe = 0
  if (opts.storeUrl) {
    store = await createPostgresDocStore(opts.storeUrl, {
      observe: metrics.observeStore,
      onHealth: (up) => {
        metrics.setStoreUp(up)
        if (up) log.info('store reachable again: pending writes resume')
        else log.error('store unreachable: writes and acknowledgements wait (healthz: degraded)')
      },
    })
  }
  let bus: RedisStreamBus | undefined
  let relay: RoomRelay | undefined
  if (opts.busUrl) {
    const b = await RedisStreamBus.create({
      url: opts.busUrl,
      serverId,
      log,
      metrics: metrics.bus,
      maxLen: opts.busMaxLen,
      blockMs: opts.busBlockMs,
    })
    await b.connect()
    bus = b
    relay = {
      publish: (room: string, out: RoomOutbound) => b.publish(room, out),
      beforeLoad: (room: string) => b.watch(room),
      unloaded: (room: string) => b.unwatch(room),
    }
  }
  return {
    serverId,
    store,
    relay,
    async attach(rooms, roomStore) {
      if (!bus) return
      await bus.start({
        peek: (name) => rooms.peek(name),
        loadStored: (name) => roomStore.load(name),
      })
    },
    health() {
      // Without writes nothing would notice the database going away: the health check probes it
      // (at most once a second, in the background; the answer reflects the previous probe).
      if (store && Date.now() - lastProbe >= HEALTH_PROBE_MS) {
        lastProbe = Date.now()
        void store.probe()
      }
      const storeUp = store ? store.healthy() : true
      metrics.setBusUp(bus?.connected ?? false)
      return {
        status: storeUp ? 'ok' : 'degraded',
        store: storeUp ? 'ok' : 'down',
        ...(bus ? { bus: bus.connected ? ('ok' as const) : ('down' as const) } : {}),
      }
    },
    metricsText: async () => {
      metrics.setBusUp(bus?.connected ?? false)
      return metrics.registry.metrics()
    },
    async close() {
      await bus?.close()
    },
  }
}
