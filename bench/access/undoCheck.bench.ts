/**
 * What checking an undo step against the access rules costs (issue 16 §3, access-client): the
 * time of `checkUndoStep` (web/src/access/undo: read the step without applying it, name its
 * changes, ask the gate) beside the time of the undo itself (`Y.UndoManager.undo()`, the
 * reference, measured on the same step in the same run). Steps: one cell by a station clerk, a
 * 10,000-cell clear and a 10,000-row insert by an owner (whose checks still read the locks), on the
 * access benches' seed (20 stations × 11 months, January locked). Each round checks, undoes (timed)
 * and redoes (untimed); medians of BENCH_REPEAT rounds (default 7) after one warm-up round.
 *
 *   npx tsx bench/access/undoCheck.bench.ts            (BENCH_REPEAT)
 */
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { type AccessIdentity, Workbook } from '../../shared/src/index.js'
import { makeAccessGate } from '../../web/src/access/ui/accessGate.js'
import { checkUndoStep } from '../../web/src/access/undo/guardedUndo.js'
import { Y } from '../layout/deps.js'
import { seedLedger } from './seed.js'

const REPEAT = Number(process.env.BENCH_REPEAT ?? 7)
const NOW = Date.UTC(2024, 7, 1)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

const seed = seedLedger()

interface Case {
  name: string
  who: AccessIdentity
  /** Makes the step to undo (one transaction, one undo step); `k` makes each call's values new. */
  step(wb: Workbook, k: number): void
}

const clerk: AccessIdentity = { role: 'scoped-editor', name: '第0站', scope: { station: '第0站' } }
const owner: AccessIdentity = { role: 'owner', name: '局长' }

const cases: Case[] = [
  {
    name: 'one cell (station clerk)',
    who: clerk,
    step: (wb, k) => wb.sheet(seed.sheetId).setCell(seed.row0, seed.served, k),
  },
  {
    name: 'clear 10,000 cells (owner)',
    who: owner,
    step: (wb) => {
      const m = wb.sheet(seed.sheetId)
      const fill = m.insertRows(Array.from({ length: 10_000 }, (_, i) => ({ [seed.served]: i })))
      wb.transact(() => m.setCells(fill.map((row) => ({ row, col: seed.served, value: null }))))
    },
  },
  {
    name: 'insert 10,000 rows (owner)',
    who: owner,
    step: (wb) => {
      wb.sheet(seed.sheetId).insertRows(
        Array.from({ length: 10_000 }, (_, i) => ({ [seed.served]: i })),
      )
    },
  },
]

const results: { case: string; checkMs: number; undoMs: number; ratio: number; changes: number }[] =
  []
for (const c of cases) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, seed.state)
  const wb = Workbook.open(doc, { author: { id: 'u', name: c.who.name } }).workbook
  const gate = makeAccessGate(wb, c.who, () => NOW)
  c.step(wb, 1)
  const um = wb.createUndoManager()
  // The step under test is the one made after the undo manager exists.
  c.step(wb, 2)
  const check: number[] = []
  const undo: number[] = []
  let changes = 0
  for (let round = 0; round <= REPEAT; round++) {
    const t0 = performance.now()
    const r = checkUndoStep(wb, um, gate, 'undo')
    const t1 = performance.now()
    if (!r.ok) throw new Error(`${c.name}: the undo is refused (${r.decision.reason})`)
    um.undo()
    const t2 = performance.now()
    um.redo()
    changes = r.changes.length
    if (round === 0) continue // warm-up
    check.push(t1 - t0)
    undo.push(t2 - t1)
  }
  gate.dispose()
  const checkMs = median(check)
  const undoMs = median(undo)
  results.push({ case: c.name, checkMs, undoMs, ratio: checkMs / undoMs, changes })
}

const round2 = (x: number) => Math.round(x * 100) / 100
console.log(
  JSON.stringify(
    {
      repeat: REPEAT,
      loadavg: os.loadavg().map(round2),
      results: results.map((r) => ({
        ...r,
        checkMs: round2(r.checkMs),
        undoMs: round2(r.undoMs),
        ratio: round2(r.ratio),
      })),
    },
    null,
    2,
  ),
)
