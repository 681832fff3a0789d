import * as Y from 'yjs'
import { seededRandom } from '../model/ids.js'

/** Exchanges everything between docs (both directions), as a fully healed network would. */
export function syncAll(...docs: Y.Doc[]): void {
  for (const a of docs) {
    for (const b of docs) {
      if (a === b) continue
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    }
  }
}

/** A deterministic PRNG for seeded tests. */
export const prng = seededRandom
