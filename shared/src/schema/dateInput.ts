/**
 * Date input in a date cell (issue 12, "grid"): what the grid's date editor accepts — every date
 * `parseValue` accepts plus bare Excel serial day numbers — with a year range check against typos.
 */

import { parseValue } from './values.js'
import type { ParseResult } from './valueTypes.js'

/** Years a date typed into a date cell may have; outside them it is a typo (1315, 0218). */
export const DATE_INPUT_YEARS = { min: 1900, max: 2100 } as const

/** Excel's day numbers: day 61 is 1900-03-01 (Excel counts a 1900-02-29 that never was). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)
const EXCEL_SERIAL_MIN = 61
const EXCEL_SERIAL_MAX = 73415 // 2100-12-31

/**
 * A date typed or pasted into a date cell: every form `parseValue` accepts (2024-5-6, 2024/5/6,
 * 2024.5.6, 2024年5月6日, 20240506) and Excel serial day numbers (45418 → 2024-05-06); a year
 * outside `DATE_INPUT_YEARS` is refused with a zh-CN + English message.
 *
 * @example parseDateInput('2021/3/15') // { ok: true, value: '2021-03-15' }
 */
export function parseDateInput(input: string): ParseResult {
  const text = input.trim()
  if (/^\d{2,5}$/.test(text)) {
    const serial = Number(text)
    if (serial >= EXCEL_SERIAL_MIN && serial <= EXCEL_SERIAL_MAX)
      return {
        ok: true,
        value: new Date(EXCEL_EPOCH_MS + serial * 86_400_000).toISOString().slice(0, 10),
      }
  }
  const parsed = parseValue(text, { type: 'date', format: {}, constraints: {} })
  if (!parsed.ok || typeof parsed.value !== 'string') return parsed
  const year = Number(parsed.value.slice(0, 4))
  if (year >= DATE_INPUT_YEARS.min && year <= DATE_INPUT_YEARS.max) return parsed
  return {
    ok: false,
    error: {
      kind: 'bad-date',
      input: text,
      message: {
        zh: `“${text}”的年份 ${year} 不在 ${DATE_INPUT_YEARS.min}–${DATE_INPUT_YEARS.max} 年之间，请检查`,
        en: `"${text}": the year ${year} is not between ${DATE_INPUT_YEARS.min} and ${DATE_INPUT_YEARS.max}; please check it`,
      },
    },
  }
}
