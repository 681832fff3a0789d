/**
 * Access-rule chaos at CI size (issue 16 §4): scoped clerks offline while the approver locks and
 * reopens months; refused clerks rebuild; all converge, nothing acknowledged is lost, every refused
 * edit is in its author's list, no pending structs; after a reopen every list re-applies. Reproduce:
 *   CHAOS_SEED=<seed> npx vitest run --project browser test/chaos/access.e2e.ts
 */
import { describe, expect, it } from 'vitest'
import { runAccessChaos } from './access.js'

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000))

describe('access chaos on the real server (CI size)', () => {
  it(`3 scoped clerks × 6 rounds, an approver locking and reopening months (seed ${SEED})`, async () => {
    const lines: string[] = []
    const r = await runAccessChaos({ seed: SEED, log: (l) => lines.push(l) })
    console.log(
      `access chaos ${JSON.stringify({ ...r, failures: r.failures.length })}\n${lines.join('\n')}`,
    )
    expect(r.failures, `seed ${SEED} (rerun with CHAOS_SEED=${SEED})\n${lines.join('\n')}`).toEqual(
      [],
    )
    expect(r.edits).toBeGreaterThan(0)
    expect(r.offlineEdits).toBeGreaterThan(0)
    expect(r.locksToggled).toBeGreaterThan(0)
  })
})
