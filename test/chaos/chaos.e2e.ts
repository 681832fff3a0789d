/**
 * Chaos tests on the real stack at CI size (issue 6): the real `taizhang serve` child process,
 * headless y-websocket clients with acknowledgements, abrupt socket cuts, offline stretches and
 * SIGKILL restarts. Each run's seed is printed on failure; add failing seeds to REGRESSION_SEEDS.
 * Reproduce one: `CHAOS_SEED=<seed> npx vitest run --project browser test/chaos/chaos.e2e.ts`.
 */
import { describe, expect, it } from 'vitest'
import { type ChaosResults, runChaos } from './harness.js'
import { runOfflineWindow, runSameCellRace } from './scenarios.js'

/** Seeds that once failed; each reruns at CI size on every run. */
export const REGRESSION_SEEDS: number[] = []

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000))

const CI_SIZE = {
  clients: 8,
  opsPerClient: 500,
  kills: 3,
  cutsPerClient: 20,
  offlineWindows: 3,
  offlineOps: 150,
}

function summary(r: ChaosResults): string {
  return (
    `seed ${r.seed}: ${r.ops} ops (${r.acked} acked), ${r.kills} kills, ${r.cuts} cuts, ` +
    `converged in ${r.convergenceMs} ms, ${r.finalRows} rows; writes ${JSON.stringify(r.writes)}`
  )
}

describe('chaos on the real server (CI size)', () => {
  for (const seed of [SEED, ...REGRESSION_SEEDS]) {
    it(`8 clients × 500 ops, 3 SIGKILLs, 20 socket cuts each, offline stretches (seed ${seed})`, async () => {
      const lines: string[] = []
      const r = await runChaos({ seed, ...CI_SIZE, log: (l) => lines.push(l) })
      console.log(summary(r))
      expect(r.kills, `seed ${seed}`).toBe(CI_SIZE.kills)
      expect(r.cuts, `seed ${seed}`).toBeGreaterThanOrEqual(CI_SIZE.clients * CI_SIZE.cutsPerClient)
      expect(
        r.killChecks.every((k) => k.missingClients.length === 0),
        `seed ${seed}`,
      ).toBe(true)
      expect(
        r.failures,
        `seed ${seed} (rerun with CHAOS_SEED=${seed})\n${lines.join('\n')}`,
      ).toEqual([])
      expect(r.acked, `seed ${seed}`).toBe(r.ops)
    })
  }

  it(`one client offline for 2,000 edits, 10% on cells others change (seed ${SEED})`, async () => {
    const r = await runOfflineWindow({ seed: SEED })
    console.log(`offline window seed ${SEED}: ${JSON.stringify(r)}`)
    expect(r.contestedEdits, `seed ${SEED}`).toBeGreaterThan(100)
    expect(r.failures, `seed ${SEED} (rerun with CHAOS_SEED=${SEED})`).toEqual([])
  })

  it(`same-cell race: 10 clients within 10 ms, 1,000 rounds all converge (seed ${SEED})`, async () => {
    const r = await runSameCellRace({ seed: SEED })
    console.log(`same-cell race seed ${SEED}: ${JSON.stringify(r)}`)
    expect(r.failures, `seed ${SEED} (rerun with CHAOS_SEED=${SEED})`).toEqual([])
    expect(r.converged).toBe(1000)
  })
})
