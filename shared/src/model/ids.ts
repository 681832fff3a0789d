import * as random from 'lib0/random'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A source of random numbers in [0, 1); seeded in tests, crypto-backed by default. */
export type RandomSource = () => number

/** Crypto-backed uniform [0, 1) (lib0/random uses the platform's crypto.getRandomValues). */
export const cryptoRandom: RandomSource = () => random.uint32() / 0x1_0000_0000

/** Makes an id generator; ids use [0-9A-Za-z] only, so they never contain the cell-key separator. */
export function createIdGenerator(rand: RandomSource = cryptoRandom): (length: number) => string {
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
