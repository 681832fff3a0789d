/**
 * Chaos soak (issue 6): the chaos harness of test/chaos at soak size against the real
 * `taizhang serve`: 20 clients × 5,000 operations × 20 SIGKILLs by default, with abrupt socket cuts
 * and offline stretches, then the same end checks as CI. Prints a Markdown section for
 * BENCHMARKS.md (`## Chaos soak (issue 6)`) and the raw results as JSON.
 *
 *   npx tsx bench/chaos/soak.ts [--clients 20 --ops 5000 --kills 20 --cuts 50 --seed N --json out.json]
 *
 * `runSoak(opts)` is the same run for `bench/run.ts`.
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { type ChaosResults, runChaos } from '../../test/chaos/harness.js'
import { ensureHeap } from './heap.js'

export interface SoakOptions {
  clients?: number
  ops?: number
  kills?: number
  cuts?: number
  offlineWindows?: number
  offlineOps?: number
  seed?: number
  log?: (line: string) => void
}

/** Heap for a soak run (see heap.ts); V8 takes only what it needs. */
export const SOAK_HEAP_MB = 12_288

const fmt = (n: number) => n.toLocaleString('en-US')

export function soakMarkdown(r: ChaosResults, command: string, date = new Date()): string {
  const mem = (totalmem() / 2 ** 30).toFixed(1)
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const writes = Object.entries(r.writes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ')
  const lines = [
    '## Chaos soak (issue 6)',
    '',
    `Command: \`${command}\` (from the repository root). Date: ${date.toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpu}), ${mem} GiB RAM, Node ${process.version}, ${process.platform} ${process.arch}. Seed ${r.seed}.`,
    '',
    `The real \`taizhang serve\` (child process, LevelDB data dir) and ${r.clients} headless clients (Y.Doc + \`Workbook\` + the official y-websocket provider with acknowledgements) doing random operations from the real vocabulary; sockets destroyed abruptly, clients offline for long stretches while editing, the server SIGKILLed and restarted on the same port and data dir. After each kill the data dir is read with the server's own DocStore and must cover every acknowledgement received. End checks once healthy: all replicas and a fresh client holding the same updates within 5 s and identical sheets, no pending structs, every acknowledged cell write present or explained (overwritten later, in \`conflicts()\`, undone, or in a deleted row/column), the stored doc equal to the live one after a final SIGKILL.`,
    '',
    '| Figure | Value |',
    '| --- | ---: |',
    `| Operations (all clients) | ${fmt(r.ops)} |`,
    `| Acknowledged by the end | ${fmt(r.acked)} (${((100 * r.acked) / Math.max(1, r.ops)).toFixed(1)}%) |`,
    `| Server SIGKILLs + restarts | ${r.kills} (stored data covered every ack before each: ${r.killChecks.every((k) => k.missingClients.length === 0) ? 'yes' : 'NO'}) |`,
    `| Abrupt socket cuts | ${fmt(r.cuts)} |`,
    `| Offline windows | ${r.offlineWindows} |`,
    `| Durable state vectors going backwards | ${r.ackRegressions} |`,
    `| Ack latency, ops made online: p50 / p99 / max | ${fmt(r.ackLatencyMs.p50)} / ${fmt(r.ackLatencyMs.p99)} / ${fmt(r.ackLatencyMs.max)} ms (n = ${fmt(r.ackLatencyMs.n)}) |`,
    `| Ack latency, ops made offline or while the server was down: p50 / p99 / max | ${fmt(r.offlineAckLatencyMs.p50)} / ${fmt(r.offlineAckLatencyMs.p99)} / ${fmt(r.offlineAckLatencyMs.max)} ms (n = ${fmt(r.offlineAckLatencyMs.n)}) |`,
    `| Reconnect after healing | ${fmt(r.healMs)} ms |`,
    `| Convergence (all replicas + a fresh client hold the same updates; sheets then compared) | ${fmt(r.convergenceMs)} ms (bound 5,000) |`,
    `| Final table | ${fmt(r.finalRows)} rows × ${r.columns} columns (${fmt(r.deletedRows)} rows in the trash) |`,
    `| Duration | ${(r.durationMs / 1000).toFixed(0)} s |`,
    `| Result | ${r.failures.length === 0 ? '**PASS**' : `**FAIL** (${r.failures.length} findings, below)`} |`,
    '',
    `Acknowledged cell writes at the end: ${writes}.`,
    `Operations: ${Object.entries(r.opsByKind)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}.`,
  ]
  if (r.failures.length > 0) {
    lines.push('', 'Findings:', '', ...r.failures.slice(0, 8).map((f) => `- ${f}`))
    if (r.failures.length > 8) lines.push(`- … ${r.failures.length - 8} more`)
  }
  return `${lines.join('\n')}\n`
}

export async function runSoak(
  opts: SoakOptions = {},
): Promise<{ markdown: string; results: ChaosResults }> {
  const clients = opts.clients ?? 20
  const ops = opts.ops ?? 5000
  const kills = opts.kills ?? 20
  const cuts = opts.cuts ?? 50
  const seed = opts.seed ?? Math.floor(Math.random() * 1_000_000)
  const results = await runChaos({
    seed,
    clients,
    opsPerClient: ops,
    kills,
    cutsPerClient: cuts,
    offlineWindows: opts.offlineWindows ?? Math.max(1, Math.round(clients / 2)),
    offlineOps: opts.offlineOps ?? Math.max(50, Math.round(ops / 10)),
    importRows: 10,
    paceMs: 3,
    log: opts.log,
  })
  const command = `npx tsx bench/chaos/soak.ts --clients ${clients} --ops ${ops} --kills ${kills} --cuts ${cuts} --seed ${seed}`
  return { markdown: soakMarkdown(results, command), results }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href
if (isMain) {
  ensureHeap(SOAK_HEAP_MB)
  // Ctrl-C / SIGTERM: exit normally so the server child is reaped by its 'exit' hook.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130))
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      ops: { type: 'string' },
      kills: { type: 'string' },
      cuts: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
    },
  })
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v))
  const { markdown, results } = await runSoak({
    clients: num(values.clients),
    ops: num(values.ops),
    kills: num(values.kills),
    cuts: num(values.cuts),
    seed: num(values.seed),
    log: (l) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`),
  })
  process.stdout.write(markdown)
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`)
  process.exit(results.failures.length === 0 ? 0 : 1)
}
