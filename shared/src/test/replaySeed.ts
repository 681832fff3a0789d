// Replays convergence seeds alone: npx tsx shared/src/test/replaySeed.ts <from> [to]
import { runConvergence } from './randomOps.js'

const from = Number(process.argv[2] ?? 1)
const to = Number(process.argv[3] ?? from)
const t = performance.now()
for (let seed = from; seed <= to; seed++) {
  const t0 = performance.now()
  try {
    const r = runConvergence({ seed, replicas: 3 + (seed % 6), ops: 2000 })
    console.log(
      seed,
      'ok',
      Math.round(performance.now() - t0),
      'ms rows',
      r.rows,
      'updates',
      r.updates,
    )
  } catch (e) {
    console.log(seed, 'FAIL', String(e))
  }
}
console.log('ms', performance.now() - t)
