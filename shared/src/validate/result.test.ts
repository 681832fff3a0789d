import { describe, expect, it } from 'vitest'
import type { ParseError } from '../schema/values.js'
import { parseValue } from '../schema/values.js'
import { isErr, isOk, Result } from './result.js'

describe('Result', () => {
  it('builds, narrows and maps', () => {
    const make = (n: number): Result<number, string> => (n > 0 ? Result.ok(n) : Result.err('nope'))
    const good = make(2)
    const bad = make(0)
    expect(isOk(good) && good.value).toBe(2)
    expect(isErr(bad) && bad.error).toBe('nope')
    expect(Result.map(good, (n) => n * 3)).toEqual({ ok: true, value: 6 })
    expect(Result.map(bad, (n) => n * 3)).toBe(bad)
    expect(Result.flatMap(good, (n) => (n > 1 ? Result.err('big') : Result.ok(n)))).toEqual({
      ok: false,
      error: 'big',
    })
    expect(Result.unwrapOr(bad, 0)).toBe(0)
    expect(Result.partition([good, bad, Result.ok(5)])).toEqual({
      values: [2, 5],
      errors: ['nope'],
    })
  })
  it('accepts a ParseResult', () => {
    const r: Result<unknown, ParseError> = parseValue('x', {
      type: 'number',
      format: {},
      constraints: {},
    })
    expect(isErr(r) && r.error.kind).toBe('not-a-number')
  })
})
