/**
 * Chaos tests on the real stack at CI size (issue 6): the real `taizhang serve` child process,
 * headless y-websocket clients with acknowledgements and 2 Chromium pages of the real web app in
 * the same run, abrupt socket cuts, offline stretches (a page reloaded from its IndexedDB while
 * offline) and SIGKILL restarts. Each run's seed is printed on failure; add failing seeds to
 * REGRESSION_SEEDS. Reproduce one:
 *   npx vite build && CHAOS_SEED=<seed> npx vitest run --project browser test/chaos/chaos.e2e.ts
 * Screenshots of the pages: .artifacts/chaos/.
 */
import { describe, expect, it } from 'vitest'
import { ensureDebugBuild } from './browser.js'
import { type ChaosResults, runChaos } from './harness.js'
import { BrowserPages } from './pages.js'
import { runOfflineWindow, runSameCellRace } from './scenarios.js'

/** Seeds that once failed, per scenario; each reruns at CI size on every run. */
export const REGRESSION_SEEDS: { chaos: number[]; sameCellRace: number[] } = {
  // 505679 found that conflicts() dropped a write that lost to a concurrent one its author then
  // undid (the cell left empty, no record). A run's timing is not replayed by its seed, so that
  // failure is pinned down deterministically in shared/src/model/conflicts.test.ts instead of
  // rerunning a whole CI-size run (about 2 minutes) here.
  chaos: [],
  // 982841 failed in a loaded CI run: a losing write's ack reached its writer before its broadcast
  // reached another replica, and the harness judged that replica's conflict record too early.
  // It reruns with one replica on a slow link, which made that ordering routine.
  sameCellRace: [982841],
}

/** The slow link of the same-cell regression runs: frames reach the last replica this late. */
const SLOW_REPLICA_MS = 200

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000))

const CI_SIZE = {
  clients: 8,
  opsPerClient: 500,
  kills: 3,
  cutsPerClient: 20,
  offlineWindows: 3,
  offlineOps: 150,
  /** Edits per browser page (2 pages). */
  pageOps: 40,
}

function summary(r: ChaosResults): string {
  return (
    `seed ${r.seed}: ${r.ops} ops (${r.acked} acked), ${r.kills} kills, ${r.cuts} cuts, ` +
    `converged in ${r.convergenceMs} ms, ${r.finalRows} rows; writes ${JSON.stringify(r.writes)}; ` +
    `pages ${JSON.stringify(r.extra)}; ${r.durationMs} ms`
  )
}

describe('chaos on the real server (CI size)', () => {
  for (const seed of [SEED, ...REGRESSION_SEEDS.chaos]) {
    it(`8 clients × 500 ops + 2 pages, 3 SIGKILLs, 20 socket cuts each, offline stretches (seed ${seed})`, async () => {
      const lines: string[] = []
      const log = (l: string) => lines.push(l)
      const webDir = await ensureDebugBuild(log)
      const pages = new BrowserPages({ seed, ops: CI_SIZE.pageOps })
      const r = await runChaos({
        seed,
        ...CI_SIZE,
        serverArgs: ['--web-dir', webDir],
        extra: pages,
        log,
      })
      console.log(`${summary(r)}\n${lines.join('\n')}`)
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
      const pageOps = r.extra?.pageOps as number
      expect(pageOps, `seed ${seed}`).toBeGreaterThanOrEqual(2 * CI_SIZE.pageOps)
      expect(r.extra?.typed as number, `seed ${seed}`).toBeGreaterThanOrEqual(CI_SIZE.pageOps / 2)
    })
  }

  it(`one client offline for 2,000 edits, 10% on cells others change (seed ${SEED})`, async () => {
    const r = await runOfflineWindow({ seed: SEED })
    console.log(`offline window seed ${SEED}: ${JSON.stringify(r)}`)
    expect(r.contestedEdits, `seed ${SEED}`).toBeGreaterThan(100)
    expect(r.failures, `seed ${SEED} (rerun with CHAOS_SEED=${SEED})`).toEqual([])
  })

  const races = [
    { seed: SEED, slow: 0 },
    ...REGRESSION_SEEDS.sameCellRace.map((seed) => ({ seed, slow: SLOW_REPLICA_MS })),
  ]
  for (const { seed, slow } of races) {
    const link = slow > 0 ? `, one replica ${slow} ms behind` : ''
    it(`same-cell race: 10 clients within 10 ms, 1,000 rounds all converge (seed ${seed}${link})`, async () => {
      const r = await runSameCellRace({ seed, slowReplicaDelayMs: slow })
      console.log(`same-cell race seed ${seed}${link}: ${JSON.stringify(r)}`)
      expect(r.failures, `seed ${seed} (rerun with CHAOS_SEED=${seed})`).toEqual([])
      expect(r.converged).toBe(1000)
      expect(r.conflictsRecorded).toBe(1000)
    })
  }
})
