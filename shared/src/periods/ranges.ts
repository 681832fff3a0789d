/**
 * Period ranges for filters (本月, 上月, 本季度, 今年, 自定义) and the list of expected periods that
 * completeness walks. "Now" is always a parameter: shared code never reads the clock.
 */
import {
  type Granularity,
  type Period,
  periodMonths,
  periodToString,
  readPeriod,
} from './period.js'

export const RangeKinds = {
  thisMonth: 'thisMonth',
  lastMonth: 'lastMonth',
  thisQuarter: 'thisQuarter',
  thisYear: 'thisYear',
  custom: 'custom',
} as const
export type RangeKind = (typeof RangeKinds)[keyof typeof RangeKinds]
export const RANGE_KINDS: readonly RangeKind[] = Object.values(RangeKinds)

/** A calendar month as the user's clock sees it. */
export interface CalendarMonth {
  year: number
  month: number
}

/** An inclusive range of months, as month indexes (year * 12 + month - 1). */
export interface MonthRange {
  from: number
  to: number
}

/** China Standard Time (UTC+8) unless told otherwise: the bureau's calendar decides "this month". */
export const DEFAULT_UTC_OFFSET_MIN = 480

/** The calendar month of an instant (ms since the epoch) at a UTC offset in minutes. */
export function calendarMonthOf(ms: number, utcOffsetMin = DEFAULT_UTC_OFFSET_MIN): CalendarMonth {
  const d = new Date(ms + utcOffsetMin * 60_000)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

/**
 * The months a named range covers. `custom` takes two stored periods (either may be any
 * granularity); undefined when they do not parse or are reversed.
 * @example periodRange('lastMonth', { year: 2024, month: 1 }) // 2023-12 only
 */
export function periodRange(
  kind: RangeKind,
  now: CalendarMonth,
  custom?: { from: string; to: string },
): MonthRange | undefined {
  const cur = now.year * 12 + now.month - 1
  switch (kind) {
    case 'thisMonth':
      return { from: cur, to: cur }
    case 'lastMonth':
      return { from: cur - 1, to: cur - 1 }
    case 'thisQuarter': {
      const q0 = now.year * 12 + Math.floor((now.month - 1) / 3) * 3
      return { from: q0, to: q0 + 2 }
    }
    case 'thisYear':
      return { from: now.year * 12, to: now.year * 12 + 11 }
    case 'custom': {
      const a = readPeriod(custom?.from)
      const b = readPeriod(custom?.to)
      if (!a || !b) return undefined
      const from = periodMonths(a)[0]
      const to = periodMonths(b)[1]
      return from <= to ? { from, to } : undefined
    }
  }
}

/** Whether a stored period lies wholly inside the range (本月 holds 2024-07, not 2024-Q3). */
export function periodInRange(value: unknown, range: MonthRange): boolean {
  const p = readPeriod(value)
  if (!p) return false
  const [first, last] = periodMonths(p)
  return first >= range.from && last <= range.to
}

/** The period of a granularity that contains a calendar month. */
export function periodOfMonth(now: CalendarMonth, g: Granularity): string {
  const p: Period =
    g === 'month'
      ? { granularity: 'month', year: now.year, part: now.month }
      : g === 'quarter'
        ? { granularity: 'quarter', year: now.year, part: Math.ceil(now.month / 3) }
        : { granularity: 'year', year: now.year, part: 0 }
  return periodToString(p)
}

/** Every period of a granularity from `from` to `to` inclusive, oldest first (at most `limit`). */
export function periodsBetween(from: string, to: string, g: Granularity, limit = 1200): string[] {
  const a = readPeriod(from)
  const b = readPeriod(to)
  if (!a || !b) return []
  const out: string[] = []
  const step = g === 'month' ? 1 : g === 'quarter' ? 3 : 12
  let m = periodMonths(a)[0]
  // Align to the granularity's boundary, so 2024-02 .. 2024-Q4 in quarters starts at 2024-Q1.
  m -= (m % 12) % step
  const end = periodMonths(b)[1]
  for (; m <= end && out.length < limit; m += step) {
    out.push(periodOfMonth({ year: Math.floor(m / 12), month: (m % 12) + 1 }, g))
  }
  return out
}
