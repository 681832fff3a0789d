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
  if (n < BULK_KEYS) return generateNKeysBetween(prev, next, n)
  return bulkKeysBetween(prev, next, n)
}

/** From this many keys on, `bulkKeysBetween` is used (generateNKeysBetween is ~4 µs a key). */
const BULK_KEYS = 64
/** Fraction digits that never end a key in '0' (fractional-indexing forbids a trailing zero). */
const SUFFIX_DIGITS = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * Many keys at once, hand-written because fractional-indexing has no fast bulk mode: one key k
 * between the neighbours, then k followed by a fixed-width counter in base 61 (digits 1–z).
 * All share k's integer part and extend its fraction, so they are valid keys, increasing, and
 * above k; if the last one would not stay below `next`, fall back to the library.
 */
function bulkKeysBetween(prev: string | null, next: string | null, n: number): string[] {
  const base = generateKeyBetween(prev, next)
  let width = 1
  for (let cap = 61; cap < n; cap *= 61) width++
  const out: string[] = new Array(n)
  const digits = new Array<string>(width)
  for (let i = 0; i < n; i++) {
    let x = i
    for (let d = width - 1; d >= 0; d--) {
      digits[d] = SUFFIX_DIGITS[x % 61]!
      x = Math.floor(x / 61)
    }
    out[i] = base + digits.join('')
  }
  if (next !== null && out[n - 1]! >= next) return generateNKeysBetween(prev, next, n)
  return out
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
