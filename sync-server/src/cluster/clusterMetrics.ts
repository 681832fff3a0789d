import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { BusMetrics } from './RedisStreamBus.js'

/** The cluster's Prometheus metrics (prom-client), in a registry of their own appended to /metrics. */
export interface ClusterMetrics {
  registry: Registry
  bus: BusMetrics
  /** The Postgres store's `observe` hook: operation latency by op and outcome. */
  observeStore(op: 'load' | 'append' | 'compact', seconds: number, ok: boolean): void
  setStoreUp(up: boolean): void
  setBusUp(up: boolean): void
}

export function createClusterMetrics(): ClusterMetrics {
  const registry = new Registry()
  const storeSeconds = new Histogram({
    name: 'taizhang_store_op_seconds',
    help: 'PostgreSQL store operation latency (an append: INSERT and durable COMMIT)',
    labelNames: ['op', 'ok'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  })
  const storeUp = new Gauge({
    name: 'taizhang_store_up',
    help: '1 while the PostgreSQL store answers, 0 while it is unreachable (writes and acks wait)',
    registers: [registry],
  })
  const busUp = new Gauge({
    name: 'taizhang_bus_up',
    help: '1 while the Redis bus read connection is up',
    registers: [registry],
  })
  const busLag = new Histogram({
    name: 'taizhang_bus_lag_seconds',
    help: 'Time from an entry being added to its room stream (Redis clock) to its delivery here',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  })
  const published = new Counter({
    name: 'taizhang_bus_published_total',
    help: 'Entries published to room streams, by type (u update, a awareness, q resync request)',
    labelNames: ['type'],
    registers: [registry],
  })
  const publishFailures = new Counter({
    name: 'taizhang_bus_publish_failures_total',
    help: 'Publishes that failed (Redis unreachable); rooms resync after the reconnect',
    registers: [registry],
  })
  const reloads = new Counter({
    name: 'taizhang_bus_gap_reloads_total',
    help: 'Rooms reloaded from the store: their stream lost entries this server had not read, or another server could not publish',
    registers: [registry],
  })
  const streamLength = new Gauge({
    name: 'taizhang_bus_stream_length',
    help: 'Entries in a watched room stream, at its last check (largest of the watched rooms)',
    registers: [registry],
  })
  const lengths = new Map<string, number>()
  storeUp.set(1)
  return {
    registry,
    bus: {
      lag: (s) => busLag.observe(s),
      published: (t) => published.inc({ type: t }),
      publishFailed: () => publishFailures.inc(),
      reloaded: () => reloads.inc(),
      streamLength: (room, n) => {
        lengths.set(room, n)
        if (lengths.size > 10_000) lengths.clear()
        streamLength.set(Math.max(0, ...lengths.values()))
      },
    },
    observeStore: (op, seconds, ok) => storeSeconds.observe({ op, ok: String(ok) }, seconds),
    setStoreUp: (up) => storeUp.set(up ? 1 : 0),
    setBusUp: (up) => busUp.set(up ? 1 : 0),
  }
}
