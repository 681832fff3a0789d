/** Counters, gauges and one histogram, rendered in Prometheus text format for `GET /metrics`. */
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
  appendSeconds: Histogram
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
}

/** Bucket upper bounds (seconds) for storage append latency. */
export const APPEND_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]

export class Histogram {
  readonly counts = new Array<number>(APPEND_BUCKETS_S.length).fill(0)
  sum = 0
  count = 0
  observe(seconds: number): void {
    this.sum += seconds
    this.count++
    for (let i = 0; i < APPEND_BUCKETS_S.length; i++) {
      if (seconds <= APPEND_BUCKETS_S[i]!) this.counts[i]!++
    }
  }
}

export function createMetrics(
  roomsLoaded: () => number = () => 0,
  docsLive: () => number = () => 0,
  reclaim: { runs: number; skipped: number } = { runs: 0, skipped: 0 },
): Metrics {
  return {
    connections: 0,
    roomsLoaded,
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    rejected: new Map(),
    closes: new Map(),
    appendSeconds: new Histogram(),
    appendFailures: 0,
    compactions: 0,
    compactionFailures: 0,
    acksSent: 0,
    docRevivals: 0,
    docDrops: 0,
    docsLive,
    reclaimGcs: () => reclaim.runs,
    reclaimSkipped: () => reclaim.skipped,
  }
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by)
}

export function renderMetrics(m: Metrics): string {
  const lines: string[] = []
  const one = (name: string, type: 'counter' | 'gauge', help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`)
  }
  const labelled = (name: string, help: string, label: string, map: Map<string, number>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
    for (const [k, v] of [...map].sort()) lines.push(`${name}{${label}="${k}"} ${v}`)
  }
  one('taizhang_connections', 'gauge', 'Open sync WebSocket connections.', m.connections)
  one('taizhang_rooms_loaded', 'gauge', 'Rooms (workbooks) loaded in memory.', m.roomsLoaded())
  one('taizhang_messages_in_total', 'counter', 'WebSocket messages received.', m.messagesIn)
  one('taizhang_messages_out_total', 'counter', 'WebSocket messages sent.', m.messagesOut)
  one('taizhang_bytes_in_total', 'counter', 'WebSocket payload bytes received.', m.bytesIn)
  one('taizhang_bytes_out_total', 'counter', 'WebSocket payload bytes sent.', m.bytesOut)
  labelled('taizhang_updates_rejected_total', 'Messages refused, by reason.', 'reason', m.rejected)
  labelled('taizhang_closes_total', 'Connections closed by the server.', 'reason', m.closes)
  const h = m.appendSeconds
  lines.push(
    '# HELP taizhang_storage_append_seconds Durable append latency (incl. fsync).',
    '# TYPE taizhang_storage_append_seconds histogram',
  )
  APPEND_BUCKETS_S.forEach((le, i) => {
    lines.push(`taizhang_storage_append_seconds_bucket{le="${le}"} ${h.counts[i]}`)
  })
  lines.push(`taizhang_storage_append_seconds_bucket{le="+Inf"} ${h.count}`)
  lines.push(`taizhang_storage_append_seconds_sum ${h.sum}`)
  lines.push(`taizhang_storage_append_seconds_count ${h.count}`)
  one(
    'taizhang_storage_append_failures_total',
    'counter',
    'Failed appends (retried).',
    m.appendFailures,
  )
  one('taizhang_compactions_total', 'counter', 'Completed compactions.', m.compactions)
  one('taizhang_compaction_failures_total', 'counter', 'Failed compactions.', m.compactionFailures)
  one('taizhang_acks_sent_total', 'counter', 'Durable acknowledgements sent.', m.acksSent)
  one('taizhang_docs_live', 'gauge', 'Loaded rooms holding a live Y.Doc.', m.docsLive())
  one('taizhang_doc_revivals_total', 'counter', 'Y.Docs revived from bytes.', m.docRevivals)
  one('taizhang_doc_drops_total', 'counter', 'Y.Docs dropped back to bytes.', m.docDrops)
  one(
    'taizhang_reclaim_gcs_total',
    'counter',
    'Full GCs run once quiet after large releases.',
    m.reclaimGcs(),
  )
  one(
    'taizhang_reclaim_skipped_total',
    'counter',
    'Reclaim GCs skipped while large docs were live.',
    m.reclaimSkipped(),
  )
  const mem = process.memoryUsage()
  one('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss)
  one('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use, in bytes.', mem.heapUsed)
  return `${lines.join('\n')}\n`
}
