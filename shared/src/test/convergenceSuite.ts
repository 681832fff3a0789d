import { describe, expect, it } from 'vitest'
import { runConvergence } from './randomOps.js'

/** Seeds that once failed; each stays here as a regression test, run in every part. */
export const REGRESSION_SEEDS: number[] = [4]

/** Total seeds across all parts (CI: 200) and operations per seed (CI: 2,000). */
const SEEDS = Number(process.env.TAIZHANG_CONVERGENCE_SEEDS ?? 200)
const OPS = Number(process.env.TAIZHANG_CONVERGENCE_OPS ?? 2000)
export const CONVERGENCE_PARTS = 4

const MUST_EXERCISE = [
  'setCell',
  'insertRows',
  'deleteRows',
  'moveRows',
  'addColumn',
  'deleteColumn',
  'renameColumn',
  'undo',
  'redo',
  'paste',
  'settleConflict',
  'restoreValue',
  'disconnect',
  'reconnect',
]

/**
 * Registers one part of the seeded convergence test. The seeds are split over several files
 * so vitest runs them on every core.
 */
export function describeConvergencePart(part: number): void {
  const per = Math.ceil(SEEDS / CONVERGENCE_PARTS)
  const from = 1 + (part - 1) * per
  const to = Math.min(SEEDS, part * per)
  describe(`M8 random convergence part ${part}: 3–8 replicas, reordered/duplicated/dropped updates, 2% churn`, () => {
    it(`converges for seeds ${from}–${to} × ${OPS} operations (+ regression seeds)`, () => {
      const totals: Record<string, number> = {}
      const seeds = [
        ...REGRESSION_SEEDS,
        ...Array.from({ length: to - from + 1 }, (_, i) => from + i),
      ]
      for (const seed of seeds) {
        const replicas = 3 + (seed % 6)
        try {
          const report = runConvergence({ seed, replicas, ops: OPS })
          for (const [k, v] of Object.entries(report.ops)) totals[k] = (totals[k] ?? 0) + v
        } catch (e) {
          // The seed replays alone with: npx tsx shared/src/test/replaySeed.ts <seed>
          console.error(`convergence failed: seed ${seed}, ${replicas} replicas`)
          throw e
        }
      }
      for (const k of MUST_EXERCISE)
        expect(totals[k], `operation ${k} exercised`).toBeGreaterThan(0)
      expect(totals.bulkInsert ?? 0, 'bulk inserts of 500 rows exercised').toBeGreaterThan(0)
    }, 900_000) // a bound for a loaded 2-core machine, not a speed assertion
  })
}
