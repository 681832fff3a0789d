/**
 * The access check's CPU cost without sockets (issue 16 §2), for profiling: a scoped editor's
 * single-cell updates to its own row, checked by the server's policy and applied, vs applied
 * alone, on the same seed, in one process. Medians of BENCH_REPEAT rounds (default 5).
 *
 *   npx tsx bench/access/inprocess.bench.ts
 *   node --cpu-prof --import tsx bench/access/inprocess.bench.ts   (then open the .cpuprofile)
 */
import { Workbook } from '../../shared/src/index.js'
import { createAccessPolicy } from '../../sync-server/src/policy/AccessPolicy.js'
import { Y } from '../layout/deps.js'
import { seedLedger } from './seed.js'

const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const N = Number(process.env.BENCH_EDITS ?? 2000)
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
const who = { role: 'scoped-editor' as const, name: 'clerk', scope: { station: '第0站' } }

/** Microseconds per update: all, of which the policy's check, of which the apply (with the room's parse). */
function run(rules: boolean): { all: number; check: number; apply: number } {
  const doc = new Y.Doc({ gc: false })
  Y.applyUpdate(doc, s.state)
  const policy = rules ? createAccessPolicy(() => Date.UTC(2024, 7, 1)) : null
  let check = 0
  const t0 = performance.now()
  for (const u of updates) {
    const t1 = performance.now()
    if (policy) {
      const v = policy.check(doc, u, who)
      if (!v.ok) throw new Error(`refused: ${JSON.stringify(v.refused[0])}`)
    }
    check += performance.now() - t1
    Y.decodeUpdate(u) // the room's parse
    Y.applyUpdate(doc, u)
  }
  const all = performance.now() - t0
  const us = (ms: number) => (ms * 1000) / updates.length
  return { all: us(all), check: us(check), apply: us(all - check) }
}

const on: ReturnType<typeof run>[] = []
const off: ReturnType<typeof run>[] = []
for (let r = 0; r < REPEAT; r++) {
  if (r % 2 === 0) {
    on.push(run(true))
    off.push(run(false))
  } else {
    off.push(run(false))
    on.push(run(true))
  }
}
const med = (xs: ReturnType<typeof run>[]) => ({
  all: median(xs.map((x) => x.all)),
  check: median(xs.map((x) => x.check)),
  apply: median(xs.map((x) => x.apply)),
})
process.stdout.write(
  `${JSON.stringify({ edits: N, usPerUpdate: { on: med(on), off: med(off) }, ratio: med(off).all / med(on).all, pairedRatio: median(on.map((x, i) => (off[i]?.all ?? Number.NaN) / x.all)) }, null, 2)}\n`,
)
