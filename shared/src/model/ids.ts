import { getRandomValues } from 'lib0/webcrypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A source of random numbers in [0, 1); seeded in tests, crypto-backed by default. */
export type RandomSource = () => number

/**
 * A small deterministic PRNG (mulberry32), uniform in [0, 1): for seeded tests, benchmarks and
 * the demo data, so a run can be replayed from its seed.
 */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Random bytes drawn from the platform's crypto in blocks: one call per id character was the
 * main cost of inserting 100,000 rows. */
const pool = new Uint8Array(8192)
let poolAt = pool.length

function randomByte(): number {
  if (poolAt === pool.length) {
    getRandomValues(pool)
    poolAt = 0
  }
  return pool[poolAt++]!
}

/** Crypto-backed uniform [0, 1). */
export const cryptoRandom: RandomSource = () =>
  (((randomByte() << 24) | (randomByte() << 16) | (randomByte() << 8) | randomByte()) >>> 0) /
  0x1_0000_0000

function cryptoId(length: number): string {
  let s = ''
  while (s.length < length) {
    // 6 bits per character; rejecting 62 and 63 keeps the 62 symbols uniform.
    const b = randomByte() & 63
    if (b < 62) s += ALPHABET[b]
  }
  return s
}

/**
 * Makes an id generator; ids use [0-9A-Za-z] only, so they never contain the cell-key separator.
 * Without a random source it uses the crypto pool; tests pass a seeded source.
 */
export function createIdGenerator(rand?: RandomSource): (length: number) => string {
  if (!rand) return cryptoId
  return (length) => {
    let s = ''
    for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(rand() * 62)]
    return s
  }
}

/** Lengths: 62^10 ≈ 8e17 row ids, collision-free in practice for any ledger. */
export const ROW_ID_LENGTH = 10
export const COLUMN_ID_LENGTH = 8
export const SHEET_ID_LENGTH = 8
export const EDIT_ID_LENGTH = 8
export const BATCH_ID_LENGTH = 6
