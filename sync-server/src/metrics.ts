import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram as PromHistogram,
  Registry,
} from 'prom-client'

/**
 * The server's counters, gauges and one histogram, exposed in Prometheus text format on
 * `GET /metrics` through prom-client (the standard client: types, HELP, label escaping and
 * exposition format are its job). The hot-path counters (messages and bytes per peer send) are
 * plain numbers read by prom-client's `collect` at scrape time, so a broadcast to 50 peers pays no
 * per-send call into the client; the append latency is a prom-client histogram.
 */
export interface Metrics {
  connections: number
  roomsLoaded: () => number
  messagesIn: number
  messagesOut: number
  bytesIn: number
  bytesOut: number
  /** Updates refused, by reason (viewer, invalid-update, bad-frame, awareness-spoof, …). */
  rejected: Map<string, number>
  /** Connections closed by the server, by close reason. */
  closes: Map<string, number>
  appendSeconds: { observe(seconds: number): void }
  appendFailures: number
  compactions: number
  compactionFailures: number
  acksSent: number
  /** Rooms whose Y.Doc was revived from bytes (to validate a write), and dropped back to bytes. */
  docRevivals: number
  docDrops: number
  /** Rooms holding a live Y.Doc now (the rest hold only their merged bytes). */
  docsLive: () => number
  /** Full GCs the reclaimer ran, and those it skipped because large docs were live (reclaim.ts). */
  reclaimGcs: () => number
  reclaimSkipped: () => number
  /** The prom-client registry holding all of the above. */
  readonly registry: Registry
}

/** Bucket upper bounds (seconds) for storage append latency. */
export const APPEND_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]

/**
 * The process metrics (`process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`, …) are
 * per process, not per server: one registry, collected once, shared by every server a process
 * runs (tests start dozens).
 */
let processRegistry: Registry | null = null
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

export function createMetrics(
  roomsLoaded: () => number = () => 0,
  docsLive: () => number = () => 0,
  reclaim: { runs: number; skipped: number } = { runs: 0, skipped: 0 },
): Metrics {
  const registry = new Registry()
  const m: Metrics = {
    connections: 0,
    roomsLoaded,
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    rejected: new Map(),
    closes: new Map(),
    appendSeconds: new PromHistogram({
      name: 'taizhang_storage_append_seconds',
      help: 'Durable append latency (incl. fsync).',
      buckets: APPEND_BUCKETS_S,
      registers: [registry],
    }),
    appendFailures: 0,
    compactions: 0,
    compactionFailures: 0,
    acksSent: 0,
    docRevivals: 0,
    docDrops: 0,
    docsLive,
    reclaimGcs: () => reclaim.runs,
    reclaimSkipped: () => reclaim.skipped,
    registry,
  }
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read())
      },
    })
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset()
        this.inc(read())
      },
    })
  const labelled = (name: string, help: string, label: string, map: Map<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset()
        for (const [k, v] of map) this.inc({ [label]: k }, v)
      },
    })
  gauge('taizhang_connections', 'Open sync WebSocket connections.', () => m.connections)
  gauge('taizhang_rooms_loaded', 'Rooms (workbooks) loaded in memory.', () => m.roomsLoaded())
  counter('taizhang_messages_in_total', 'WebSocket messages received.', () => m.messagesIn)
  counter('taizhang_messages_out_total', 'WebSocket messages sent.', () => m.messagesOut)
  counter('taizhang_bytes_in_total', 'WebSocket payload bytes received.', () => m.bytesIn)
  counter('taizhang_bytes_out_total', 'WebSocket payload bytes sent.', () => m.bytesOut)
  labelled('taizhang_updates_rejected_total', 'Messages refused, by reason.', 'reason', m.rejected)
  labelled('taizhang_closes_total', 'Connections closed by the server.', 'reason', m.closes)
  counter(
    'taizhang_storage_append_failures_total',
    'Failed appends (retried).',
    () => m.appendFailures,
  )
  counter('taizhang_compactions_total', 'Completed compactions.', () => m.compactions)
  counter('taizhang_compaction_failures_total', 'Failed compactions.', () => m.compactionFailures)
  counter('taizhang_acks_sent_total', 'Durable acknowledgements sent.', () => m.acksSent)
  gauge('taizhang_docs_live', 'Loaded rooms holding a live Y.Doc.', () => m.docsLive())
  counter('taizhang_doc_revivals_total', 'Y.Docs revived from bytes.', () => m.docRevivals)
  counter('taizhang_doc_drops_total', 'Y.Docs dropped back to bytes.', () => m.docDrops)
  counter('taizhang_reclaim_gcs_total', 'Full GCs run once quiet after large releases.', () =>
    m.reclaimGcs(),
  )
  counter('taizhang_reclaim_skipped_total', 'Reclaim GCs skipped while large docs were live.', () =>
    m.reclaimSkipped(),
  )
  return m
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by)
}

/** The server's metrics and the process's, in Prometheus text format. */
export async function renderMetrics(m: Metrics): Promise<string> {
  return `${await m.registry.metrics()}\n${await processMetrics().metrics()}`
}
