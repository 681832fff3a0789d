import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareKeyed, keyBetween, keysBetween, validKeyOrNull } from './order.js'

describe('order keys', () => {
  it('sorts by key, then id', () => {
    expect(compareKeyed('a0', 'x', 'a1', 'a')).toBeLessThan(0)
    expect(compareKeyed('a1', 'b', 'a1', 'a')).toBeGreaterThan(0)
    expect(compareKeyed('a1', 'a', 'a1', 'a')).toBe(0)
  })

  it('makes n increasing keys strictly between two keys, or at open ends', () => {
    const ks = keysBetween('a0', 'a1', 5)
    expect(ks).toHaveLength(5)
    for (let i = 0; i < ks.length; i++) {
      expect(ks[i]! > 'a0' && ks[i]! < 'a1').toBe(true)
      if (i > 0) expect(ks[i - 1]! < ks[i]!).toBe(true)
    }
    expect(keysBetween(null, null, 3)).toHaveLength(3)
    expect(keysBetween('a0', null, 0)).toEqual([])
  })

  it('treats collided or malformed neighbours as an open end instead of throwing', () => {
    expect(keyBetween('a1', 'a1') > 'a1').toBe(true)
    expect(keyBetween('a2', 'a1') > 'a2').toBe(true)
    expect(validKeyOrNull('')).toBeNull()
    expect(validKeyOrNull(42)).toBeNull()
    expect(validKeyOrNull('a0')).toBe('a0')
    expect(typeof keyBetween('', 'a1')).toBe('string')
  })

  it('always finds room between any two distinct generated keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
        (path) => {
          const keys = [keyBetween(null, null)]
          for (const p of path) {
            const i = p % (keys.length + 1)
            const k = keyBetween(keys[i - 1] ?? null, keys[i] ?? null)
            keys.splice(i, 0, k)
          }
          for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true)
        },
      ),
    )
  })
})

describe('bulk order keys', () => {
  it('makes many valid increasing keys between neighbours, usable as later bounds', () => {
    for (const [prev, next, n] of [
      [null, null, 100_000],
      ['a5', null, 70],
      ['a0', 'a1', 5000],
      ['a0V', 'a0W', 300],
    ] as const) {
      const ks = keysBetween(prev, next, n)
      expect(ks).toHaveLength(n)
      for (let i = 0; i < ks.length; i++) {
        if (i > 0) expect(ks[i - 1]! < ks[i]!).toBe(true)
        if (prev) expect(ks[i]! > prev).toBe(true)
        if (next) expect(ks[i]! < next).toBe(true)
      }
      expect(validKeyOrNull(ks.at(-1))).toBe(ks.at(-1))
      expect(keyBetween(ks[0]!, ks[1]!) > ks[0]!).toBe(true)
    }
  })
})
