import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'

/**
 * Order keys are fractional-indexing strings; items sort by (key, id) with plain code-unit
 * comparison (not localeCompare). Two offline clients may mint the same key for different rows;
 * the id tie-break still gives one total order everywhere.
 */
export function compareKeyed(aKey: string, aId: string, bKey: string, bId: string): number {
  if (aKey < bKey) return -1
  if (aKey > bKey) return 1
  return aId < bId ? -1 : aId > bId ? 1 : 0
}

/**
 * `n` keys strictly between `prev` and `next` (either may be null for an open end).
 * When a concurrent collision made prev >= next, the caller passes the next distinct key instead.
 */
export function keysBetween(prev: string | null, next: string | null, n: number): string[] {
  if (n <= 0) return []
  prev = prev === null ? null : validKeyOrNull(prev)
  next = next === null ? null : validKeyOrNull(next)
  if (prev !== null && next !== null && prev >= next) next = null
  return generateNKeysBetween(prev, next, n)
}

export function keyBetween(prev: string | null, next: string | null): string {
  prev = prev === null ? null : validKeyOrNull(prev)
  next = next === null ? null : validKeyOrNull(next)
  if (prev !== null && next !== null && prev >= next) next = null
  return generateKeyBetween(prev, next)
}

/** `k` if it is a well-formed order key, else null (a field lost to a concurrent undo, say). */
export function validKeyOrNull(k: unknown): string | null {
  if (typeof k !== 'string' || k.length < 2) return null
  try {
    generateKeyBetween(k, null)
    return k
  } catch {
    // fractional-indexing throws on malformed keys; the caller falls back to an open end.
    return null
  }
}

/** A key every reader can fall back to for an item whose key is missing or malformed. */
export const FALLBACK_KEY = 'a0'
