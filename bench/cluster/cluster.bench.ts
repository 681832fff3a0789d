/**
 * Cluster bench (issue #17 §4): the production CLI (`taizhang serve`) in three set-ups, measured
 * in one run against one throwaway PostgreSQL and Redis (Debian's packages, 127.0.0.1):
 *   leveldb  — 1 server, LevelDB (the default; the reference for ack latency)
 *   pg1      — 1 server, --store postgres://… --bus redis://…
 *   pg3      — 3 servers on the same PostgreSQL and Redis; clients spread round-robin over them
 *              (connected to the servers directly: the balancer's own hop is not measured)
 *
 *   npx tsx bench/cluster/cluster.bench.ts [--quick]
 *
 * Env: BENCH_FANOUT_ROUNDS (default 500), BENCH_ACK_ROUNDS (default 500), BENCH_REPEAT (rounds of
 * the three set-ups in rotating order, medians reported; default 1).
 * Prints a markdown table and writes bench/results/cluster.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signToken } from '../../sync-server/src/auth/tokens.js'
import { startPostgres } from '../../sync-server/src/cluster/services/postgresService.js'
import { freePort } from '../../sync-server/src/cluster/services/process.js'
import { startRedis } from '../../sync-server/src/cluster/services/redisService.js'
import { ClusterServer } from '../../test/cluster/clusterHarness.js'
import { COLUMNS, generateRows } from '../layout/data.js'
import { type CellValue, Workbook, Y, type YDoc } from '../layout/deps.js'

const QUICK = process.argv.includes('--quick')
const ROWS = QUICK ? 10_000 : 100_000
const FANOUT_CLIENTS = 50
const FANOUT_ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? (QUICK ? 100 : 500))
const ACK_ROUNDS = Number(process.env.BENCH_ACK_ROUNDS ?? (QUICK ? 100 : 500))
const WRITES_ONE_ROOM = QUICK ? 1000 : 5000
const WRITES_PER_ROOM_50 = QUICK ? 40 : 200
const SECRET = 'cluster-bench-secret-0123456789'
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const fromServer = createRequire(new URL('../../sync-server/package.json', import.meta.url))
const ws = fromServer('ws') as typeof import('ws')
type Socket = import('ws').WebSocket
const { WebsocketProvider } = (await import(
  new URL('../../sync-server/node_modules/y-websocket/src/y-websocket.js', import.meta.url).href
)) as typeof import('y-websocket')

const token = signToken(SECRET, {
  workbook: '*',
  role: 'editor',
  name: 'bench',
  expiresAt: Date.now() + 864e5,
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN
}
const median = (xs: number[]) => pct(xs, 50)

async function waitFor(cond: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timeout: ${what}`)
    await sleep(1)
  }
}

// ---------- wire helpers (y-websocket framing) ----------

function writeVarUint(out: number[], n: number): void {
  while (n > 127) {
    out.push((n & 127) | 128)
    n = Math.floor(n / 128)
  }
  out.push(n)
}
function readVarUint(d: Uint8Array, pos: number): [number, number] {
  let num = 0
  let mult = 1
  for (;;) {
    const r = d[pos++]!
    num += (r & 127) * mult
    mult *= 128
    if (r < 128) return [num, pos]
  }
}
/** A sync message: varUint(0) varUint(step) varUint8Array(payload). */
function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const head: number[] = [0, step]
  writeVarUint(head, payload.length)
  const out = new Uint8Array(head.length + payload.length)
  out.set(head)
  out.set(payload, head.length)
  return out
}
/** The clock of `client` in an ack message (type 100: varUint8Array(state vector)), or -1. */
function ackedClock(d: Uint8Array, client: number): number {
  if (d[0] !== 100) return -1
  let [, pos] = readVarUint(d, 1)
  const [n, p2] = readVarUint(d, pos)
  pos = p2
  for (let i = 0; i < n; i++) {
    const [c, p3] = readVarUint(d, pos)
    const [clock, p4] = readVarUint(d, p3)
    pos = p4
    if (c === client) return clock
  }
  return 0
}

interface Raw {
  ws: Socket
  onFrame: ((d: Uint8Array) => void) | null
}
async function rawClient(s: ClusterServer, room: string, ack = false): Promise<Raw> {
  const sock = new ws.WebSocket(
    `ws://127.0.0.1:${s.port}/sync/${room}?token=${token}${ack ? '&ack=1' : ''}`,
    {
      perMessageDeflate: false,
    },
  )
  const raw: Raw = { ws: sock, onFrame: null }
  sock.binaryType = 'nodebuffer'
  sock.on('message', (d: Buffer) => raw.onFrame?.(new Uint8Array(d.buffer, d.byteOffset, d.length)))
  await new Promise<void>((resolve, reject) => {
    sock.once('open', () => resolve())
    sock.once('error', reject)
  })
  return raw
}

// ---------- measurements ----------

/** One writer at a time (rotating over the clients); time until all others received it (ms). */
async function fanout(servers: ClusterServer[], tag: string) {
  const room = `fan-${tag}`
  const clients: Raw[] = []
  for (let i = 0; i < FANOUT_CLIENTS; i++)
    clients.push(await rawClient(servers[i % servers.length]!, room))
  await sleep(500)
  const doc = new Y.Doc()
  const msgs: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => msgs.push(syncMessage(2, u)))
  for (let r = 0; r < FANOUT_ROUNDS + 20; r++) doc.getMap('cells').set(`c${r % 50}`, `value ${r}`)
  const all: number[] = []
  const cross: number[] = []
  for (let r = 0; r < msgs.length; r++) {
    const sender = r % FANOUT_CLIENTS
    const got = new Set<number>()
    let last = 0
    let lastCross = 0
    clients.forEach((c, i) => {
      c.onFrame = (d) => {
        if (i !== sender && d[0] === 0 && d[1] === 2 && !got.has(i)) {
          got.add(i)
          last = performance.now()
          if (i % servers.length !== sender % servers.length) lastCross = last
        }
      }
    })
    const t0 = performance.now()
    clients[sender]!.ws.send(msgs[r]!)
    await waitFor(() => got.size === FANOUT_CLIENTS - 1, 'fan-out round', 30_000)
    if (r >= 20) {
      all.push(last - t0)
      if (servers.length > 1) cross.push(lastCross - t0)
    }
    await sleep(2)
  }
  for (const c of clients) c.ws.close()
  return {
    p50: median(all),
    p99: pct(all, 99),
    ...(cross.length ? { crossP50: median(cross), crossP99: pct(cross, 99) } : {}),
  }
}

/** Sequential edits, each waiting for its durable ack: ack latency (ms). */
async function ackLatency(s: ClusterServer, tag: string) {
  const c = await rawClient(s, `ack-${tag}`, true)
  const doc = new Y.Doc()
  const msgs: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => msgs.push(syncMessage(2, u)))
  for (let r = 0; r < ACK_ROUNDS + 20; r++) doc.getMap('m').set(`k${r}`, r)
  let confirmed = 0
  c.onFrame = (d) => {
    const clock = ackedClock(d, doc.clientID)
    if (clock > confirmed) confirmed = clock
  }
  const times: number[] = []
  for (let r = 0; r < msgs.length; r++) {
    const t0 = performance.now()
    c.ws.send(msgs[r]!)
    await waitFor(() => confirmed >= r + 1, 'ack', 30_000)
    if (r >= 20) times.push(performance.now() - t0)
  }
  c.ws.close()
  return { p50: median(times), p99: pct(times, 99) }
}

/**
 * Updates/s confirmed by durable acks: each room's writer sends all at once (writers spread over
 * the servers, and a reader on every other server).
 */
async function throughput(servers: ClusterServer[], tag: string, rooms: number, perRoom: number) {
  const run = async (i: number) => {
    const room = `tp-${tag}-${rooms}-${i}`
    const writer = await rawClient(servers[i % servers.length]!, room, true)
    // A reader on every other server: the room is live everywhere, as with clients on each.
    const readers = await Promise.all(
      servers.filter((_, k) => k !== i % servers.length).map((s) => rawClient(s, room)),
    )
    const doc = new Y.Doc()
    const msgs: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => msgs.push(syncMessage(2, u)))
    for (let k = 0; k < perRoom; k++) doc.getMap('m').set(`k${k}`, k)
    let confirmed = 0
    writer.onFrame = (d) => {
      confirmed = Math.max(confirmed, ackedClock(d, doc.clientID))
    }
    return async () => {
      for (const m of msgs) writer.ws.send(m)
      await waitFor(() => confirmed >= perRoom, `throughput ${tag}`, 300_000)
      writer.ws.close()
      for (const r of readers) r.ws.close()
    }
  }
  const starts = await Promise.all(Array.from({ length: rooms }, (_, i) => run(i)))
  const t0 = performance.now()
  await Promise.all(starts.map((go) => go()))
  return (rooms * perRoom) / ((performance.now() - t0) / 1000)
}

/** The ROWS-row workbook built with the shared model, in chunks of 10,000 rows (one update each). */
function buildWorkbook(rows: number): { chunks: Uint8Array[]; sv: Map<number, number> } {
  const doc: YDoc = new Y.Doc()
  const chunks: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => chunks.push(u))
  const wb = Workbook.create(doc, { title: 'bench' })
  const sheet = wb.sheet(wb.addSheet('站点月报'))
  const colIds = COLUMNS.map((c) => sheet.addColumn({ name: c.name, type: c.type }))
  const records = generateRows(rows).map((values) => {
    const rec: Record<string, CellValue> = {}
    for (let c = 0; c < colIds.length; c++) rec[colIds[c]!] = values[c] ?? null
    return rec
  })
  for (let i = 0; i < records.length; i += 10_000) sheet.insertRows(records.slice(i, i + 10_000))
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc))
  doc.destroy()
  const head = chunks.findIndex((u) => u.length > 100_000)
  return {
    chunks: head > 0 ? [Y.mergeUpdates(chunks.slice(0, head)), ...chunks.slice(head)] : chunks,
    sv,
  }
}

/**
 * Uploads the workbook through the first server and waits for its durable ack; then a fresh
 * y-websocket client syncs it from the last server (on pg3 another process than the writer: it
 * reads the workbook from PostgreSQL). Median of 3 (ms).
 */
async function freshSync(
  servers: ClusterServer[],
  tag: string,
  wb: ReturnType<typeof buildWorkbook>,
) {
  const room = `big-${tag}`
  const seeder = await rawClient(servers[0]!, room, true)
  const [client, clock] = [...wb.sv.entries()][0]!
  let confirmed = 0
  seeder.onFrame = (d) => {
    confirmed = Math.max(confirmed, ackedClock(d, client))
  }
  for (const u of wb.chunks) seeder.ws.send(syncMessage(2, u))
  await waitFor(() => confirmed >= clock, 'workbook durable', 300_000)
  const target = servers[servers.length - 1]!
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    ;(globalThis as { gc?: () => void }).gc?.()
    await sleep(200)
    const doc = new Y.Doc()
    const t0 = performance.now()
    const p = new WebsocketProvider(`ws://127.0.0.1:${target.port}/sync`, room, doc, {
      WebSocketPolyfill: ws.WebSocket as never,
      params: { token },
      disableBc: true,
    })
    await waitFor(() => p.synced, 'fresh client synced', 300_000)
    const opened = Workbook.open(doc).workbook
    const rows = opened.sheet(opened.listSheets()[0]!.id).rowCount()
    times.push(performance.now() - t0)
    if (rows !== ROWS) throw new Error(`synced ${rows} rows, expected ${ROWS}`)
    p.destroy()
    doc.destroy()
  }
  seeder.ws.close()
  return median(times)
}

// ---------- run ----------

const built = spawnSync(
  process.execPath,
  [join(ROOT, 'sync-server/scripts/build.mjs'), '--if-stale'],
  {
    stdio: 'inherit',
  },
)
if (built.status !== 0) throw new Error('building sync-server/dist failed')
process.stderr.write(`building a ${ROWS}-row workbook with the shared model…\n`)
const big = buildWorkbook(ROWS)
const [pg, redis] = await Promise.all([startPostgres(), startRedis()])
const dirs: string[] = []
const started: ClusterServer[] = []

async function servers(kind: 'leveldb' | 'pg1' | 'pg3'): Promise<ClusterServer[]> {
  const n = kind === 'pg3' ? 3 : 1
  const out: ClusterServer[] = []
  for (let i = 0; i < n; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'tz-cbench-'))
    dirs.push(dir)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TAIZHANG_SECRET: SECRET,
      TAIZHANG_LOG_LEVEL: 'warn',
    }
    if (kind !== 'leveldb') Object.assign(env, { TAIZHANG_STORE: pg.url, TAIZHANG_BUS: redis.url })
    const s = new ClusterServer(`${kind}-${i + 1}`, await freePort(), dir, env, [
      '--web-dir',
      '/nonexistent',
    ])
    await s.start()
    out.push(s)
    started.push(s)
  }
  return out
}

type Row = Record<string, unknown>
const KINDS = ['leveldb', 'pg1', 'pg3'] as const
/** BENCH_REPEAT=n: n rounds, the set-ups taking turns in rotating order; medians reported. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1)
const runs: Record<string, Row[]> = { leveldb: [], pg1: [], pg3: [] }
try {
  for (let r = 0; r < REPEAT; r++) {
    const order = KINDS.map((_, k) => KINDS[(k + r) % KINDS.length]!)
    for (const kind of order) {
      const tag = `${kind}-${r}`
      process.stderr.write(`${tag}: starting\n`)
      const ss = await servers(kind)
      const row: Row = {}
      row.fanout50 = await fanout(ss, tag)
      process.stderr.write(`  fan-out ${JSON.stringify(row.fanout50)}\n`)
      row.ack = await ackLatency(ss[0]!, tag)
      process.stderr.write(`  ack ${JSON.stringify(row.ack)}\n`)
      row.writes1 = await throughput(ss, tag, 1, WRITES_ONE_ROOM)
      row.writes50 = await throughput(ss, tag, 50, WRITES_PER_ROOM_50)
      process.stderr.write(
        `  writes/s ${Math.round(row.writes1 as number)} / ${Math.round(row.writes50 as number)}\n`,
      )
      row.freshSyncMs = await freshSync(ss, tag, big)
      process.stderr.write(`  fresh sync ${Math.round(row.freshSyncMs as number)} ms\n`)
      runs[kind]!.push(row)
      for (const s of ss) await s.stop()
    }
  }
} finally {
  for (const s of started) await s.stop()
  await Promise.all([pg.destroy(), redis.destroy()])
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
}

/** Median of every numeric leaf over the runs of one set-up. */
function medianRow(rows: Row[]): Row {
  const first = rows[0]!
  const out: Row = {}
  for (const [k, v] of Object.entries(first)) {
    out[k] =
      typeof v === 'number'
        ? median(rows.map((r) => r[k] as number))
        : medianRow(rows.map((r) => r[k] as Row))
  }
  return out
}
const results: Record<string, Row> = Object.fromEntries(KINDS.map((k) => [k, medianRow(runs[k]!)]))

const f = (x: unknown, d = 2) => (typeof x === 'number' ? x.toFixed(d) : '—')
type Lat = { p50: number; p99: number; crossP50?: number; crossP99?: number }
const L = (k: string) => results[k]!
const fo = (k: string) => L(k).fanout50 as Lat
const ack = (k: string) => L(k).ack as Lat
const table = [
  '| | 1 server, LevelDB | 1 server, PostgreSQL + Redis | 3 servers, PostgreSQL + Redis |',
  '| --- | ---: | ---: | ---: |',
  `| fan-out, 50 clients, p50 / p99 (ms) | ${f(fo('leveldb').p50)} / ${f(fo('leveldb').p99)} | ${f(fo('pg1').p50)} / ${f(fo('pg1').p99)} | ${f(fo('pg3').p50)} / ${f(fo('pg3').p99)} |`,
  `| fan-out, 50 clients, other servers' clients only, p50 / p99 (ms) | — | — | ${f(fo('pg3').crossP50)} / ${f(fo('pg3').crossP99)} |`,
  `| ack latency p50 / p99 (ms), one edit at a time | ${f(ack('leveldb').p50)} / ${f(ack('leveldb').p99)} | ${f(ack('pg1').p50)} / ${f(ack('pg1').p99)} | ${f(ack('pg3').p50)} / ${f(ack('pg3').p99)} |`,
  `| confirmed writes/s, 1 room | ${f(L('leveldb').writes1, 0)} | ${f(L('pg1').writes1, 0)} | ${f(L('pg3').writes1, 0)} |`,
  `| confirmed writes/s, 50 rooms | ${f(L('leveldb').writes50, 0)} | ${f(L('pg1').writes50, 0)} | ${f(L('pg3').writes50, 0)} |`,
  `| fresh-client sync, ${ROWS.toLocaleString('en-US')} rows (ms, median of 3) | ${f(L('leveldb').freshSyncMs, 0)} | ${f(L('pg1').freshSyncMs, 0)} | ${f(L('pg3').freshSyncMs, 0)} |`,
].join('\n')
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')} at the end`
const notes = [
  `Command: \`BENCH_REPEAT=${REPEAT} npx tsx bench/cluster/cluster.bench.ts\` (medians of ${REPEAT} rounds, the set-ups taking`,
  'turns in rotating order). The production CLI in three set-ups, one run, one',
  "throwaway PostgreSQL 15 and Redis 7 (Debian's packages, fsync and synchronous_commit on, Redis",
  'append-only): 1 server on LevelDB (the default, and the reference for ack latency), 1 server and',
  '3 servers on PostgreSQL + Redis Streams. Clients connect to the servers directly, round-robin (the',
  "balancer's hop is not measured). Fan-out: one writer at a time among 50 clients, time until the",
  `other 49 received the update, ${FANOUT_ROUNDS} rounds; with 3 servers the slowest receiver is always on another`,
  'server, so both rows read the same. Ack latency: one edit at a time, time to its durable ack,',
  `${ACK_ROUNDS} rounds. Confirmed writes/s: every update sent at once, clock stopped at the last durable ack;`,
  'with 3 servers every room has a reader on each other server, so each server holds it live and stores',
  "the other servers' updates too (`Room.receiveRemote`: acks cover only what this server made durable).",
  `Fresh-client sync: the ${ROWS.toLocaleString('en-US')}-row workbook uploaded through the first server, durable, then`,
  'synced by a fresh y-websocket client from the last server (with 3 servers: read from PostgreSQL by a',
  'process that never saw it). All processes share the 2 cores with the bench itself (and, here, with',
  'other work): the 3-server figures measure contention as much as the cluster.',
]
const markdown = `${notes.join('\n')}\n\n${table}\n\n${machine}.`
console.log(markdown)
mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
writeFileSync(
  join(ROOT, 'bench/results/cluster.json'),
  `${JSON.stringify({ rows: ROWS, fanoutRounds: FANOUT_ROUNDS, ackRounds: ACK_ROUNDS, repeat: REPEAT, machine, results, runs, markdown }, null, 2)}\n`,
)
