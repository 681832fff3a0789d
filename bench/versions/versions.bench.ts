/**
 * Versions bench (issue 13 §3): what one version of the 100,000-row workbook after 10,000 edits
 * costs to store, and what taking one costs the server.
 *
 *   npx tsx bench/versions/versions.bench.ts [--quick]      (--quick: 10,000 rows, 1,000 edits)
 *
 * 1. In this process: the workbook (bench/server/clients.ts `buildWorkbook`, the server bench's
 *    rows) plus 10,000 cell edits, one transaction each; the snapshot's bytes raw
 *    (Y.encodeStateAsUpdate) and gzip-compressed (what the server stores), and the gzip time.
 * 2. The production CLI (sync-server/bin/taizhang.mjs serve, LevelDB, no schedule) with
 *    loopMonitor.mjs preloaded (perf_hooks.monitorEventLoopDelay): the room seeded with the same
 *    updates over a raw sync client, then POST /api/workbooks/big/versions five times: the
 *    server's CPU time (/proc/<pid>/stat, user + system, all threads: the thread-pool gzip and hash
 *    included) and its event loop's longest delay during each capture, medians. Reference in the
 *    same run: the loop's longest delay over a window of the same length with no capture.
 * 3. Fan-out p99 (bench/server/clients.ts `measureFanout`, 10 clients) without captures and while
 *    captures of the big room run back to back, alternating A B A B; medians of each.
 *
 * Prints a markdown section and writes bench/results/versions.json.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gzip as gzipCb } from 'node:zlib'
import { signToken } from '../../sync-server/src/auth/tokens.js'
import { createRandom } from '../layout/data.js'
import { Y } from '../layout/deps.js'
import {
  buildWorkbook,
  measureFanout,
  median,
  openRawClient,
  seedRawRoom,
  sleep,
} from '../server/clients.js'

const gzip = promisify(gzipCb)
const QUICK = process.argv.includes('--quick')
const ROWS = QUICK ? 10_000 : 100_000
const EDITS = QUICK ? 1_000 : 10_000
const CAPTURES = 5
const FANOUT_ROUNDS = QUICK ? 100 : 500
const SECRET = 'bench-secret-0123456789'
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const token = signToken(SECRET, {
  workbook: '*',
  role: 'editor',
  name: 'bench',
  expiresAt: Date.now() + 864e5,
})
const n = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const t0 = performance.now()

// ---------- 1. the workbook and its snapshot ----------

const built = buildWorkbook(ROWS, true)
const { doc, wb } = built
const sheet = wb.sheet(wb.listSheets()[0]!.id)
const cols = sheet.columns()
const rowIds = sheet.readRows().map((r) => r.id)
const before = built.state.length
const edits: Uint8Array[] = []
doc.on('update', (u: Uint8Array) => edits.push(u))
const rand = createRandom(20260506)
const addrCol = cols.find((c) => c.name === '地址')!.id
const countCol = cols.find((c) => c.name === '服务人次')!.id
for (let i = 0; i < EDITS; i++) {
  const row = rowIds[Math.floor(rand() * rowIds.length)]!
  if (i % 2 === 0) sheet.setCell(row, countCol, Math.floor(rand() * 5000))
  else sheet.setCell(row, addrCol, `朝歌路${Math.floor(rand() * 9999)}号 ${i}`)
}
const state = Y.encodeStateAsUpdate(doc)
const g0 = performance.now()
const packed = await gzip(state)
const gzipMs = performance.now() - g0
// The edits go to the server in batches of 1,000 (as a client catching up would send them).
const editBatches: Uint8Array[] = []
for (let i = 0; i < edits.length; i += 1000)
  editBatches.push(Y.mergeUpdates(edits.slice(i, i + 1000)))
wb.destroy()
doc.destroy()
process.stderr.write(
  `snapshot: ${n(state.length)} B raw, ${n(packed.length)} B gzip (${n(gzipMs, 1)} ms); before edits ${n(before)} B\n`,
)

// ---------- 2. the server ----------

interface Server {
  child: ChildProcess
  port: number
  http: string
  base: string
  dataDir: string
  loopFile: string
}

async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tz-vbench-'))
  const loopFile = join(dataDir, 'loop.json')
  const hook = fileURLToPath(new URL('loopMonitor.mjs', import.meta.url))
  const args = [
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data',
    dataDir,
    '--web-dir',
    '/nonexistent',
    '--log-level',
    'warn',
    '--versions-every',
    '0',
  ]
  // Run as deployed: the bin executed as a program (its launcher line sets Node's flags).
  const child = spawn(join(ROOT, 'sync-server/bin/taizhang.mjs'), args, {
    cwd: ROOT,
    env: {
      ...process.env,
      TAIZHANG_SECRET: SECRET,
      TZ_LOOP_FILE: loopFile,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${hook}`.trim(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.on('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)))
  })
  const http = `http://127.0.0.1:${port}`
  return { child, port, http, base: `ws://127.0.0.1:${port}/sync`, dataDir, loopFile }
}

async function stopServer(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.on('exit', r))
  s.child.kill('SIGTERM')
  const t = setTimeout(() => s.child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(t)
  rmSync(s.dataDir, { recursive: true, force: true })
}

/** CPU time (user + system, ms, every thread) the server has used so far (10 ms resolution). */
function cpuMs(s: Server): number {
  const stat = readFileSync(`/proc/${s.child.pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

/** The server's event-loop delay since the last call ({maxMs, p99Ms, meanMs}). */
async function loopWindow(
  s: Server,
): Promise<{ maxMs: number; p99Ms: number; meanMs: number; gcMaxMs: number; gcKind: string }> {
  rmSync(s.loopFile, { force: true })
  s.child.kill('SIGWINCH')
  for (let i = 0; i < 500; i++) {
    try {
      return JSON.parse(readFileSync(s.loopFile, 'utf8'))
    } catch {
      await sleep(10)
    }
  }
  throw new Error('loop monitor did not answer')
}

async function capture(s: Server, name: string): Promise<{ bytes: number }> {
  const r = await fetch(`${s.http}/api/workbooks/big/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (r.status !== 201) throw new Error(`capture: ${r.status} ${await r.text()}`)
  return ((await r.json()) as { version: { bytes: number } }).version
}

const s = await startServer()
let md = ''
const results: Record<string, unknown> = {}
try {
  const seed = await seedRawRoom(s.base, 'big', [...built.chunks, ...editBatches], token)
  await sleep(1000)
  const captures: Array<{
    cpuMs: number
    wallMs: number
    maxStallMs: number
    gcMaxMs: number
    bytes: number
  }> = []
  const idle: number[] = []
  for (let i = 0; i < CAPTURES; i++) {
    // Reference: the same window with nothing to do.
    await loopWindow(s)
    await sleep(1000)
    idle.push((await loopWindow(s)).maxMs)
    const c0 = cpuMs(s)
    const w0 = performance.now()
    const v = await capture(s, `bench ${i}`)
    const wallMs = performance.now() - w0
    const cpu = cpuMs(s) - c0
    const loop = await loopWindow(s)
    captures.push({
      cpuMs: cpu,
      wallMs,
      maxStallMs: loop.maxMs,
      gcMaxMs: loop.gcMaxMs,
      bytes: v.bytes,
    })
    process.stderr.write(
      `capture ${i}: ${n(v.bytes)} B, cpu ${cpu} ms, wall ${n(wallMs)} ms, max loop delay ${n(loop.maxMs, 1)} ms (idle ${n(idle[i]!, 1)}), longest GC ${n(loop.gcMaxMs, 1)} ms ${loop.gcKind}\n`,
    )
  }
  // The version the server stored opens to the same state.
  const o0 = performance.now()
  const stored = await fetch(
    `${s.http}/api/workbooks/big/versions/${((await (await fetch(`${s.http}/api/workbooks/big/versions`, { headers: { authorization: `Bearer ${token}` } })).json()) as { versions: Array<{ id: string }> }).versions[0]!.id}`,
    { headers: { authorization: `Bearer ${token}` } },
  )
  const opened = new Uint8Array(await stored.arrayBuffer())
  const openMs = performance.now() - o0
  const check = new Y.Doc()
  Y.applyUpdate(check, opened)
  // Every struct of the bench's doc is in the version (the server may add its own records).
  const theirs = Y.decodeStateVector(Y.encodeStateVector(check))
  const sameState = [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state))].every(
    ([client, clock]) => (theirs.get(client) ?? 0) >= clock,
  )
  check.destroy()

  // ---------- 3. fan-out with and without captures ----------
  const without: number[] = []
  const during: number[] = []
  let capturesDuring = 0
  for (const phase of ['without', 'during', 'without', 'during', 'without', 'during'] as const) {
    let stop = false
    const loop =
      phase === 'during'
        ? (async () => {
            while (!stop) {
              await capture(s, 'during fan-out')
              capturesDuring++
            }
          })()
        : Promise.resolve()
    const f = await measureFanout((room) => openRawClient(s.base, room, token), 10, {
      rounds: FANOUT_ROUNDS,
      room: `fan-${phase}-${without.length + during.length}`,
    })
    stop = true
    await loop
    ;(phase === 'without' ? without : during).push(f.p99)
    process.stderr.write(`fan-out ${phase}: p50 ${n(f.p50, 2)} ms, p99 ${n(f.p99, 2)} ms\n`)
  }
  seed.ws.close()

  const med = (get: (c: (typeof captures)[number]) => number) => median(captures.map(get))
  const p99Without = median(without)
  const p99During = median(during)
  const ratio = p99During / p99Without
  results.snapshot = {
    rows: ROWS,
    edits: EDITS,
    rawBytes: state.length,
    gzipBytes: packed.length,
    gzipMs,
    beforeEditsBytes: before,
  }
  results.captures = captures
  results.idleMaxLoopMs = idle
  results.fanout = { without, during, capturesDuring }
  results.sameState = sameState
  results.open = { ms: openMs, bytes: opened.length }
  md =
    `Command: \`npx tsx bench/versions/versions.bench.ts${QUICK ? ' --quick' : ''}\`. Date: ${new Date().toISOString().slice(0, 10)}. ` +
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ` +
    'other work shared the cores during the run.\n\n' +
    `The ${n(ROWS)}-row workbook of the server bench after ${n(EDITS)} cell edits (one transaction each). ` +
    `Server: the production CLI (LevelDB, \`--versions-every 0\`), ${CAPTURES} captures through \`POST /api/workbooks/big/versions\` of a live room; medians. ` +
    'CPU is the whole server process (/proc/<pid>/stat, 10 ms ticks, all threads: reading the records, the snapshot worker framing, hashing and compressing them at half duty, the file and LevelDB writes). ' +
    'Event-loop delay: perf_hooks.monitorEventLoopDelay inside the server (bench/versions/loopMonitor.mjs), the longest delay during the capture; reference: the same window idle. ' +
    `Fan-out: 10 clients, ${FANOUT_ROUNDS} rounds (bench/server/clients.ts measureFanout, as the server bench), without captures and with captures running back to back (${capturesDuring} captures during the two runs), alternating three times each, medians.\n\n` +
    '| Metric | Value | Reference (same run) | Target | Result |\n| --- | ---: | ---: | --- | --- |\n' +
    `| Bytes per version (stored, gzip) | ${n(med((c) => c.bytes))} B | ${n(state.length)} B: the workbook as one Yjs update (gzip of it in this process: ${n(packed.length)} B, ${n(gzipMs)} ms) | bounded, measured | ${sameState ? 'holds every edit' : 'FAIL: edits missing'} |\n` +
    `| Server CPU per capture | ${n(med((c) => c.cpuMs))} ms | wall ${n(med((c) => c.wallMs))} ms (the worker rests as long as it works) | (information) | |\n` +
    `| Opening a version (GET …/versions/<vid>: unpack and merge on the worker) | ${n(openMs)} ms | ${n(opened.length)} B update | (information) | |\n` +
    `| Longest event-loop delay during a capture | ${n(
      med((c) => c.maxStallMs),
      1,
    )} ms | ${n(median(idle), 1)} ms idle | not noticeable | |\n` +
    `|   longest GC pause during a capture | ${n(
      med((c) => c.gcMaxMs),
      1,
    )} ms | | (information) | |\n` +
    `| Fan-out p99, 10 clients: during captures / without | ${n(p99During, 2)} / ${n(p99Without, 2)} ms | ratio ${n(ratio, 2)}× | ≤ 2× | ${ratio <= 2 ? '**PASS**' : 'FAIL'} |\n`
} finally {
  await stopServer(s)
}
process.stdout.write(`\n${md}\n`)
mkdirSync(new URL('../results/', import.meta.url), { recursive: true })
writeFileSync(
  new URL('../results/versions.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), quick: QUICK, results, markdown: md, seconds: (performance.now() - t0) / 1000 }, null, 2)}\n`,
)
process.exit(0)
