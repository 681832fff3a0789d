/**
 * Calendar arithmetic for the date editor's picker, on `yyyy-mm-dd` strings (the date cells'
 * stored form) in UTC, so no time zone or DST shifts a day. Pure.
 */

/** One day of a month's page: its date and whether it belongs to the month shown. */
export interface CalendarDay {
  iso: string
  day: number
  inMonth: boolean
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

export function isoOf(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** `yyyy-mm-dd` → [year, month 0–11, day]; null if it is not in that form. */
export function partsOf(iso: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? [Number(m[1]), Number(m[2]) - 1, Number(m[3])] : null
}

/** The date `n` days after `iso` (before, if negative). */
export function addDays(iso: string, n: number): string {
  const p = partsOf(iso)
  if (!p) return iso
  return isoOf(Date.UTC(p[0], p[1], p[2] + n))
}

/**
 * The same day `n` months after `iso`, kept inside the target month (1-31 + 1 month = 2-28 or
 * 2-29, as spreadsheets do).
 */
export function addMonths(iso: string, n: number): string {
  const p = partsOf(iso)
  if (!p) return iso
  const first = new Date(Date.UTC(p[0], p[1] + n, 1))
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  return isoOf(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(p[2], last)))
}

/**
 * The 6 × 7 days shown for the month of `iso`, weeks starting on Monday (as Chinese calendars
 * do), with the neighbouring months' days filling the first and last weeks.
 */
export function monthPage(iso: string): CalendarDay[] {
  const p = partsOf(iso)
  if (!p) return []
  const first = Date.UTC(p[0], p[1], 1)
  // getUTCDay: 0 = Sunday … 6 = Saturday; days shown before the 1st so the week starts Monday.
  const lead = (new Date(first).getUTCDay() + 6) % 7
  const days: CalendarDay[] = []
  for (let i = 0; i < 42; i++) {
    const d = new Date(Date.UTC(p[0], p[1], 1 - lead + i))
    days.push({ iso: isoOf(d.getTime()), day: d.getUTCDate(), inMonth: d.getUTCMonth() === p[1] })
  }
  return days
}
