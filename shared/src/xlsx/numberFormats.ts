import * as XLSX from '@e965/xlsx'

/**
 * Number formats for the .xlsx import (issue #15 §1), from SheetJS's SSF: the built-in formats, the
 * date test, serial → date in either date system, a number shown in a format.
 */

/**
 * The code of a built-in number format (ids below 164 are not written in the file). SheetJS's table
 * has Excel's international ones; the East Asian ids map to the nearest of those, as ECMA-376
 * §18.8.30 lists them: 27–31, 36, 50–58 dates; 32–35 times; 5–8 currency, 67–81 Thai variants.
 */
const BUILTIN_ALIAS: Record<number, number> = {
  5: 37,
  6: 38,
  7: 39,
  8: 40,
  27: 14,
  28: 14,
  29: 14,
  30: 14,
  31: 14,
  32: 21,
  33: 21,
  34: 21,
  35: 21,
  36: 14,
  50: 14,
  51: 14,
  52: 14,
  53: 14,
  54: 14,
  55: 14,
  56: 14,
  57: 14,
  58: 14,
  59: 1,
  60: 2,
  61: 3,
  62: 4,
  67: 9,
  68: 10,
  69: 12,
  70: 13,
  71: 14,
  72: 14,
  73: 15,
  74: 16,
  75: 17,
  76: 20,
  77: 21,
  78: 22,
  79: 45,
  80: 46,
  81: 47,
}
let builtins: Record<number, string> | undefined
export function numberFormatCode(id: number): string {
  builtins ??= XLSX.SSF.get_table() as Record<number, string>
  return builtins[id] ?? builtins[BUILTIN_ALIAS[id] ?? 0] ?? 'General'
}

/** A number shown in a format, as Excel would (SheetJS's formatter). */
export function showNumber(code: string, v: number, date1904: boolean): string {
  try {
    return String(XLSX.SSF.format(code, v, { date1904 }))
  } catch {
    return String(v)
  }
}

/** Whether a number format shows a date or time (SheetJS's own test, which knows the locale codes). */
export function isDateFormat(format: string): boolean {
  return XLSX.SSF.is_date(format) as boolean
}

/**
 * The calendar date of an Excel serial in the workbook's date system, as `YYYY-MM-DD`. SheetJS's
 * `parse_date_code` carries Lotus' 1900 leap-year bug the way Excel shows it: serial 60 is the
 * nonexistent 1900-02-29 (returned as is, so the import flags it), 61 is 1900-03-01.
 */
export function serialToIsoDate(serial: number, date1904: boolean): string | undefined {
  const d = XLSX.SSF.parse_date_code(serial, { date1904 }) as
    | { y: number; m: number; d: number }
    | undefined
  if (!d) return undefined
  return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`
}

/** SheetJS's range decoder, re-exported for this folder. */
export const decodeRange = XLSX.utils.decode_range
