/**
 * The access check's CPU cost without sockets (issue 16 §2), for profiling: a scoped editor's
 * single-cell updates to its own row go through the room's own admission steps
 * (sync-server/src/room/admission.ts: one parse, the access policy, attestation), are applied and
 * attested, with rules on vs off (attestation on in both, as in the server), on the same seed, in
 * one process. Medians of BENCH_REPEAT rounds (default 5), rounds alternating the order.
 *
 * Times are CPU time of this process (`process.cpuUsage`), so other processes on a shared machine
 * do not inflate them; `wall` is elapsed time. The split (`check`: admission; `apply`: the rest)
 * is from `performance.now()` around each step.
 *
 *   npx tsx bench/access/inprocess.bench.ts            (BENCH_REPEAT, BENCH_EDITS)
 *   node --cpu-prof --import tsx bench/access/inprocess.bench.ts   (then open the .cpuprofile)
 */
import os from 'node:os'
import { Workbook } from '../../shared/src/index.js'
import pinoModule from '../../sync-server/node_modules/pino/pino.js'
import { Attester } from '../../sync-server/src/attest/Attester.js'
import { createMetrics } from '../../sync-server/src/metrics.js'
import { createAccessPolicy } from '../../sync-server/src/policy/AccessPolicy.js'
import { admit, parseIncoming } from '../../sync-server/src/room/admission.js'
import { Y } from '../layout/deps.js'
import { seedLedger } from './seed.js'

const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const N = Number(process.env.BENCH_EDITS ?? 2000)
const NOW = Date.UTC(2024, 7, 1)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

const s = seedLedger()
const updates: Uint8Array[] = []
{
  const doc = new Y.Doc()
  Y.applyUpdate(doc, s.state)
  const wb = Workbook.open(doc, { author: { id: 'c', name: 'clerk' } }).workbook
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < N; i++) wb.sheet(s.sheetId).setCell(s.row0, s.served, i)
}
const sender = {
  id: 1,
  role: 'scoped-editor' as const,
  name: 'clerk',
  scope: { station: '第0站' },
  user: 'u-clerk',
  clientIds: new Set<number>(),
  send: () => {
    throw new Error('refused')
  },
}
const log = pinoModule({ level: 'silent' })

interface Sample {
  /** CPU µs per update (user + system). */
  cpu: number
  wall: number
  check: number
  apply: number
}

/** Per update: admission (parse, rules if on, attestation), apply, the attester's record. */
function run(rules: boolean): Sample {
  const doc = new Y.Doc({ gc: false })
  Y.applyUpdate(doc, s.state)
  const deps = {
    log,
    metrics: createMetrics(),
    attester: new Attester('bench-secret-0123456789abcdef', () => NOW),
    ...(rules ? { policy: createAccessPolicy(() => NOW) } : {}),
  }
  let check = 0
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  for (const u of updates) {
    const t1 = performance.now()
    const parsed = parseIncoming(u)
    if (!parsed) throw new Error('invalid')
    const a = admit(deps, 'r', doc, { parsed, mode: 'live' }, sender)
    if (!a.ok) throw new Error(`not admitted: ${a.result}`)
    check += performance.now() - t1
    Y.applyUpdate(doc, u)
    if (a.attest) deps.attester.record('r', doc, a.attest, { user: 'u-clerk', name: 'clerk' })
  }
  const wall = performance.now() - t0
  const c = process.cpuUsage(c0)
  const us = (ms: number) => (ms * 1000) / updates.length
  return {
    cpu: (c.user + c.system) / updates.length,
    wall: us(wall),
    check: us(check),
    apply: us(wall - check),
  }
}

const on: Sample[] = []
const off: Sample[] = []
run(true) // warm-up, not counted
run(false)
for (let r = 0; r < REPEAT; r++) {
  if (r % 2 === 0) {
    on.push(run(true))
    off.push(run(false))
  } else {
    off.push(run(false))
    on.push(run(true))
  }
}
const med = (xs: Sample[]) => ({
  cpu: median(xs.map((x) => x.cpu)),
  wall: median(xs.map((x) => x.wall)),
  check: median(xs.map((x) => x.check)),
  apply: median(xs.map((x) => x.apply)),
})
process.stdout.write(
  `${JSON.stringify(
    {
      edits: N,
      usPerUpdate: { on: med(on), off: med(off) },
      // Throughput ratio (rules on ÷ off) = CPU per update off ÷ on.
      ratioCpu: med(off).cpu / med(on).cpu,
      pairedRatioCpu: median(on.map((x, i) => (off[i]?.cpu ?? Number.NaN) / x.cpu)),
      loadavg: os.loadavg(),
    },
    null,
    2,
  )}\n`,
)
