/**
 * Access rules' cost (issue 16 §2): confirmed-write throughput with rules on vs off (one room and
 * 50 rooms) and fan-out p99 with rules on vs off, on the same in-process server code in one run.
 * Writers are scoped editors (the full check: classify, lock lookup, row condition) writing cells
 * of their own station's rows of a monthly ledger; the reference is the same server with
 * `accessRules: false`. Rounds alternate on/off after one uncounted warm-up round; medians of BENCH_REPEAT rounds
 * (default 5). Fan-out p99 over BENCH_FANOUT_ROUNDS updates (default 1,000) per round. Also the
 * process's CPU time per confirmed write (`cpuUsPerWrite`), which other processes on a shared
 * machine do not inflate as they do elapsed time.
 *
 *   npx tsx bench/access/access.bench.ts   (BENCH_REPEAT, BENCH_FANOUT_ROUNDS)
 */

import os from 'node:os'
import { Workbook } from '../../shared/src/index.js'
import * as decoding from '../../sync-server/node_modules/lib0/decoding.js'
import * as encoding from '../../sync-server/node_modules/lib0/encoding.js'
import pinoModule from '../../sync-server/node_modules/pino/pino.js'
import { signToken } from '../../sync-server/src/auth/tokens.js'
import { startServer } from '../../sync-server/src/main.js'
import { createMemoryDocStore } from '../../sync-server/src/storage/memoryDocStore.js'
import { WebSocket } from '../../sync-server/src/wsNode.js'
import { Y } from '../layout/deps.js'
import { seedLedger as seed } from './seed.js'

const SECRET = 'bench-secret-0123456789abcdef'
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const PER_ROOM_1 = 2000
const PER_ROOM_50 = 100
const FANOUT_CLIENTS = 10
const FANOUT_ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 1000)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0

function syncUpdate(u: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, u)
  return encoding.toUint8Array(e)
}

interface Raw {
  ws: WebSocket
  onFrame: (d: Uint8Array) => void
  open: Promise<void>
}
function raw(url: string): Raw {
  const ws = new WebSocket(url)
  const r: Raw = {
    ws,
    onFrame: () => undefined,
    open: new Promise((res, rej) => {
      ws.on('open', () => res())
      ws.on('error', rej)
    }),
  }
  ws.on('message', (d: Buffer) => r.onFrame(new Uint8Array(d)))
  return r
}

function durableClock(d: Uint8Array, client: number): number {
  const dec = decoding.createDecoder(d)
  if (decoding.readVarUint(dec) !== 100) return -1
  const sv = Y.decodeStateVector(decoding.readVarUint8Array(dec))
  return sv.get(client) ?? 0
}

async function waitFor(cond: () => boolean, what: string) {
  const until = Date.now() + 120_000
  while (!cond()) {
    if (Date.now() > until) throw new Error(`stalled: ${what}`)
    await sleep(1)
  }
}

async function withServer<T>(rules: boolean, f: (base: string) => Promise<T>): Promise<T> {
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store: createMemoryDocStore(),
    secret: SECRET,
    log: pinoModule({ level: 'silent' }),
    webDir: '/nonexistent',
    accessRules: rules,
    limits: {
      RATE_MESSAGES_PER_S: 1e6,
      RATE_BURST_MESSAGES: 1e6,
      RATE_BYTES_PER_S: 1e9,
      RATE_BURST_BYTES: 1e9,
    },
  })
  try {
    return await f(`ws://127.0.0.1:${server.port}/sync`)
  } finally {
    await server.close()
  }
}

const token = (role: 'owner' | 'scoped-editor') =>
  signToken(SECRET, {
    workbook: '*',
    role,
    name: role,
    expiresAt: Date.now() + 3_600_000,
    ...(role === 'scoped-editor' ? { scope: { station: '第0站' } } : {}),
  })

/** Seeds a room through an owner connection and waits for its ack. */
async function seedRoom(base: string, room: string, s: ReturnType<typeof seed>) {
  const owner = raw(`${base}/${room}?ack=1&token=${token('owner')}`)
  await owner.open
  const doc = new Y.Doc()
  Y.applyUpdate(doc, s.state)
  let done = false
  owner.onFrame = (d) => {
    if (d[0] === 100) done = true
  }
  owner.ws.send(syncUpdate(s.state))
  await waitFor(() => done, 'seed ack')
  owner.ws.close()
}

/** The writer's cell edits, each its own update, made on a replica by the model. */
function edits(s: ReturnType<typeof seed>, n: number) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, s.state)
  const wb = Workbook.open(doc, { author: { id: 'c', name: 'clerk' } }).workbook
  const msgs: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => msgs.push(syncUpdate(u)))
  for (let i = 0; i < n; i++) wb.sheet(s.sheetId).setCell(s.row0, s.served, i)
  return { msgs, client: doc.clientID, last: Y.getState(doc.store, doc.clientID) }
}

async function throughput(
  rules: boolean,
  rooms: number,
  perRoom: number,
  s: ReturnType<typeof seed>,
) {
  return withServer(rules, async (base) => {
    for (let i = 0; i < rooms; i++) await seedRoom(base, `r${i}`, s)
    const work = Array.from({ length: rooms }, () => edits(s, perRoom))
    const writers = await Promise.all(
      work.map(async (_, i) => {
        const w = raw(`${base}/r${i}?ack=1&token=${token('scoped-editor')}`)
        await w.open
        return w
      }),
    )
    await sleep(100)
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    await Promise.all(
      writers.map(async (w, i) => {
        const job = work[i]!
        let confirmed = 0
        w.onFrame = (d) => {
          if (d[0] === 100) confirmed = Math.max(confirmed, durableClock(d, job.client))
        }
        for (const m of job.msgs) w.ws.send(m)
        await waitFor(() => confirmed >= job.last, 'writes confirmed')
        w.ws.close()
      }),
    )
    const c = process.cpuUsage(c0)
    const writes = rooms * perRoom
    return {
      perS: writes / ((performance.now() - t0) / 1000),
      // CPU time of this process (server and writers) per confirmed write: unlike writes/s, not
      // inflated by other processes taking the cores; rules on and off differ by the rules' work.
      cpuUs: (c.user + c.system) / writes,
    }
  })
}

async function fanout(rules: boolean, s: ReturnType<typeof seed>) {
  return withServer(rules, async (base) => {
    await seedRoom(base, 'fan', s)
    const clients = await Promise.all(
      Array.from({ length: FANOUT_CLIENTS }, async () => {
        const c = raw(`${base}/fan?token=${token('scoped-editor')}`)
        await c.open
        return c
      }),
    )
    await sleep(200)
    const { msgs } = edits(s, FANOUT_ROUNDS + 10)
    const all: number[] = []
    for (let r = 0; r < msgs.length; r++) {
      const got = new Set<number>()
      let last = 0
      clients.forEach((c, i) => {
        c.onFrame = (d) => {
          if (i !== 0 && d[0] === 0 && d[1] === 2 && !got.has(i)) {
            got.add(i)
            last = performance.now()
          }
        }
      })
      const t0 = performance.now()
      clients[0]!.ws.send(msgs[r]!)
      await waitFor(() => got.size === FANOUT_CLIENTS - 1, 'fan-out round')
      if (r >= 10) all.push(last - t0)
      await sleep(2)
    }
    for (const c of clients) c.ws.close()
    return { p50: median(all), p99: pct(all, 99) }
  })
}

const s = seed()
const res = {
  on1: [] as number[],
  off1: [] as number[],
  on50: [] as number[],
  off50: [] as number[],
  onP99: [] as number[],
  offP99: [] as number[],
}
const cpu = {
  on1: [] as number[],
  off1: [] as number[],
  on50: [] as number[],
  off50: [] as number[],
}
const p50: { on: number[]; off: number[] } = { on: [], off: [] }
// Round -1 warms both servers' code paths up (JIT) and is not counted: round 0 would otherwise
// measure whichever runs first cold.
for (let round = -1; round < REPEAT; round++) {
  const order = round % 2 === 0 ? [true, false] : [false, true]
  for (const rules of order) {
    const k = rules ? 'on' : 'off'
    const t1 = await throughput(rules, 1, PER_ROOM_1, s)
    const t50 = await throughput(rules, 50, PER_ROOM_50, s)
    const f = await fanout(rules, s)
    if (round < 0) continue
    res[`${k}1`].push(t1.perS)
    res[`${k}50`].push(t50.perS)
    cpu[`${k}1`].push(t1.cpuUs)
    cpu[`${k}50`].push(t50.cpuUs)
    res[`${k}P99`].push(f.p99)
    p50[k].push(f.p50)
  }
}
const out = {
  throughput1: {
    on: median(res.on1),
    off: median(res.off1),
    ratio: median(res.on1) / median(res.off1),
  },
  throughput50: {
    on: median(res.on50),
    off: median(res.off50),
    ratio: median(res.on50) / median(res.off50),
  },
  fanoutP99ms: {
    on: median(res.onP99),
    off: median(res.offP99),
    ratio: median(res.onP99) / median(res.offP99),
  },
  fanoutP50ms: { on: median(p50.on), off: median(p50.off) },
  // The machine is shared: each round's on/off pair runs back to back, so the median of the
  // per-round ratios is less exposed to load drifting between rounds than the ratio of medians.
  pairedRatios: {
    throughput1: median(res.on1.map((v, i) => v / (res.off1[i] ?? Number.NaN))),
    throughput50: median(res.on50.map((v, i) => v / (res.off50[i] ?? Number.NaN))),
    fanoutP99: median(res.onP99.map((v, i) => v / (res.offP99[i] ?? Number.NaN))),
  },
  // CPU µs per confirmed write (process CPU time over the writes; medians), and rules on ÷ off as
  // a throughput ratio (off ÷ on): the load-robust reading of the two throughput figures.
  cpuUsPerWrite: {
    room1: {
      on: median(cpu.on1),
      off: median(cpu.off1),
      ratio: median(cpu.off1) / median(cpu.on1),
    },
    rooms50: {
      on: median(cpu.on50),
      off: median(cpu.off50),
      ratio: median(cpu.off50) / median(cpu.on50),
    },
  },
  loadavg: os.loadavg(),
  rounds: res,
  cpuRounds: cpu,
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
