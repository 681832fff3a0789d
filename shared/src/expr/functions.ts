/**
 * The function library: SUM, AVERAGE, COUNT, MIN, MAX, ROUND, ABS, AND, OR, NOT, ISBLANK, INPERIOD and
 * LEN, each with its arity; blanks are skipped by aggregates and give a blank elsewhere. IF and LOOKUP
 * are special forms compiled by the evaluator (evaluate.ts) and name resolution (resolveNames.ts).
 */
import { periodInRange, periodRange } from '../periods/ranges.js'
import { flatten, isRow, labelOf, numbersOf, toNumber, truthy, type Val } from './runtime.js'

/** Round half away from zero on the decimal digits (ROUND(2.675, 2) = 2.68, as Excel). */
export function roundHalfAway(x: number, digits: number): number {
  const d = Math.max(-15, Math.min(15, Math.trunc(digits)))
  const abs = Math.abs(x)
  const p = 10 ** d
  const scaled = abs * p
  let r: number
  if (scaled < 2 ** 52) {
    // 2.675 × 100 is 267.49999999999997 in binary: one ulp up restores the decimal tie.
    r = Math.round(scaled * (1 + Number.EPSILON)) / p
  } else r = Number(`${Math.round(Number(`${abs}e${d}`))}e${-d}`)
  return x < 0 ? -r : r
}

export type Fn = { min: number; max: number; run: (args: Val[]) => Val }

export const FUNCTIONS: Record<string, Fn> = {
  SUM: { min: 1, max: 255, run: (a) => numbersOf(a, 'SUM').reduce((s, n) => s + n, 0) },
  AVERAGE: {
    min: 1,
    max: 255,
    run: (a) => {
      const n = numbersOf(a, 'AVERAGE')
      return n.length === 0 ? null : n.reduce((s, x) => s + x, 0) / n.length
    },
  },
  COUNT: {
    min: 1,
    max: 255,
    run: (a) => flatten(a).filter((v) => v !== null && v !== undefined && v !== '').length,
  },
  MIN: {
    min: 1,
    max: 255,
    run: (a) => {
      const n = numbersOf(a, 'MIN')
      return n.length === 0 ? null : Math.min(...n)
    },
  },
  MAX: {
    min: 1,
    max: 255,
    run: (a) => {
      const n = numbersOf(a, 'MAX')
      return n.length === 0 ? null : Math.max(...n)
    },
  },
  ROUND: {
    min: 1,
    max: 2,
    run: ([x, d]) => {
      const n = toNumber(x ?? null, 'ROUND')
      return n === null ? null : roundHalfAway(n, toNumber(d ?? 0, 'ROUND') ?? 0)
    },
  },
  ABS: {
    min: 1,
    max: 1,
    run: ([x]) => {
      const n = toNumber(x ?? null, 'ABS')
      return n === null ? null : Math.abs(n)
    },
  },
  AND: { min: 1, max: 255, run: (a) => flatten(a).every((v) => truthy(v) === true) },
  OR: { min: 1, max: 255, run: (a) => flatten(a).some((v) => truthy(v) === true) },
  NOT: {
    min: 1,
    max: 1,
    run: ([x]) => {
      const t = truthy(x ?? null)
      return t === null ? null : !t
    },
  },
  ISBLANK: { min: 1, max: 1, run: ([x]) => x === null || x === undefined || x === '' },
  /** INPERIOD(期间, "2024-07", "2024-09"): the period lies wholly in the range (periods/ranges.ts). */
  INPERIOD: {
    min: 3,
    max: 3,
    run: ([p, from, to]) => {
      const range = periodRange(
        'custom',
        { year: 0, month: 1 },
        { from: String(from ?? ''), to: String(to ?? '') },
      )
      return range ? periodInRange(p ?? null, range) : false
    },
  },
  LEN: {
    min: 1,
    max: 1,
    run: ([x]) => (x === null || x === undefined ? 0 : String(isRow(x) ? labelOf(x) : x).length),
  },
}

/** Function names the language knows (IF and LOOKUP are special forms). */
export const EXPR_FUNCTIONS: readonly string[] = ['IF', 'LOOKUP', ...Object.keys(FUNCTIONS)]
