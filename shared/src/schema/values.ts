/**
 * Parse what people type (or what a CSV holds) into a cell value, and format a cell value back into text.
 * This module is the entry point: `parseValue` and `parseValueQuick` dispatch on the column type to the
 * per-type parsers (parseNumber, plainNumber, parseDate, parseChoice); formatting is in formatValue.ts,
 * the shared types in valueTypes.ts, the grid date editor's input in dateInput.ts.
 *
 * Pure and total: nothing here throws on any string input. Bad input comes back as a typed error value.
 *
 * Rules that must not drift (tests carry the same names):
 * - Blank: an empty or whitespace-only input is an empty cell (`null`) for every type. For every type but
 *   text, the "nothing here" markers `-` `--` `—` `——` `–` `/` `无` `N/A` (after full-width folding, so
 *   `－` and `／` too) are also empty. A text column keeps them as typed.
 * - Numbers: full-width digits, signs, `．`, `，` and brackets are folded first. `,` groups thousands and must
 *   group by three (`1,197`, `1，197`; `1,2345` is rejected). `(5)` and `（１２３）` are negative (the
 *   accounting convention). Exponents (`1.2E+05`) are accepted. `万` (10⁴), `亿` (10⁸) and `千` (10³) are
 *   multipliers. A count word may follow (`人次`, `人`, `次`, `个`, `家`, `名`, …). Arithmetic is done on the
 *   decimal digits, so `1.1万` is exactly 11000, not 11000.000000000002.
 * - Approximate figures: a prefix `约 近 将近 超过 超 逾` or a suffix `余 多 + 以上` (`1.2万余人次`, `23,000+`)
 *   parse to the stated figure (12000, 23000) and set `approximate: true` on the ok result, so an importer
 *   can flag them. They are not errors.
 * - Percent columns store a fraction. `63.7%` → 0.637. A bare number with no `%` is read as percent points
 *   (`63.7` → 0.637, `0.5` → 0.005), as Excel does for a percent-formatted cell: one rule with no magic
 *   threshold. Pass `percentStyle: 'number'` to read bare numbers as fractions (`0.637` → 0.637), e.g. for
 *   a CSV written with fractions. Number and integer columns also accept `%` (`63.7%` → 0.637).
 * - Money columns store numbers in the column's unit (`format.unit`, default 元). A bare number is already in
 *   that unit. An input with `元`, `¥`/`￥` or a multiplier is an amount in yuan and is converted:
 *   `276万元` → 276 in a 万元 column and 2,760,000 in a 元 column; `2,760,000元` → 276 in a 万元 column;
 *   `1.2万` → 1.2 in a 万元 column.
 * - Dates store `YYYY-MM-DD`. Accepted: `2024年5月24日`, `2024/5/24`, `2024-05-24`, `2024.5.24`, `20240524`,
 *   optionally followed by a time, which is dropped (`2024/5/24 0:00`). The date must exist (no Feb 30).
 *   Periods (`2024-5`, `2024-06`, `2024年6月`, `202406`, `2024`, `2024-Q2`, `2024年第二季度`, `2024年上半年`)
 *   are rejected with kind `period-not-date`: a period is not a day, and storing the first day would make
 *   it look like one. Keep periods (期间) in a text column. Excel serial numbers (45436 → 2024-05-24) are
 *   accepted only with `excelSerial: true`.
 * - Booleans: `是 对 true 1 ✓ √ ✔ Y yes` and `否 错 false 0 × ✗ ✘ N no`, case-insensitive.
 * - Enums: an exact option value first, then the first option equal after folding width and case; the
 *   result is the canonical option value. A column without options accepts any (trimmed) text.
 * - References: the trimmed input goes to `resolveReference` (e.g. a station name → row id); failing that it
 *   is kept if `referenceExists` says it is a row id. With neither callback it is kept as is and left to
 *   validation.
 * - Text: kept as typed, except that CRLF and CR become LF.
 */
import { parsePeriod } from '../periods/period.js'
import type { CellValue, ColumnType } from './columnTypes.js'
import { isBlankInput, isBlankText } from './normalizeText.js'
import { FALSE_WORDS, parseBoolean, parseEnum, parseReference, TRUE_WORDS } from './parseChoice.js'
import { fastDate, parseDate } from './parseDate.js'
import { parseNumeric } from './parseNumber.js'
import { fastNumeric } from './plainNumber.js'
import { done, type ParseOptions, type ParseResult, type ValueColumn } from './valueTypes.js'

export { formatValue } from './formatValue.js'
export { isBlankInput, normalizeText } from './normalizeText.js'
export { isIsoDate } from './parseDate.js'
export {
  type FormatOptions,
  type LocalizedMessage,
  type ParseError,
  type ParseErrorKind,
  ParseErrorKinds,
  type ParseOptions,
  type ParseResult,
  type ValueColumn,
} from './valueTypes.js'

/**
 * The value {@link parseValue} gives for the common shapes — blank, text without CR, plain numbers (with
 * `,` groups, `%`, `元` or `万元`), `2024-05-24` and `2024年5月24日` dates, 是/否 words — or undefined when
 * the input needs the general parser (or does not fit: call `parseValue` for the error). For bulk parsing
 * (a CSV import) without a result object per cell.
 */
export function parseValueQuick(
  input: string,
  column: ValueColumn,
  opts: ParseOptions = {},
): CellValue | undefined {
  if (isBlankText(input)) return null
  switch (column.type) {
    case 'text':
      return input.indexOf('\r') === -1 ? input : undefined
    case 'number':
    case 'integer':
    case 'percent':
    case 'money':
      return fastNumeric(input, column, opts)
    case 'date':
      return fastDate(input)
    case 'boolean':
      return TRUE_WORDS.has(input) ? true : FALSE_WORDS.has(input) ? false : undefined
    default:
      return undefined
  }
}

/**
 * Parse user or CSV text into the value a cell of `column` stores. Never throws.
 * @example parseValue('276万元', { type: 'money', format: { unit: '万元' }, constraints: {} }) // { ok: true, value: 276 }
 */
export function parseValue(
  input: string,
  column: ValueColumn,
  opts: ParseOptions = {},
): ParseResult {
  const text = typeof input === 'string' ? input : String(input ?? '')
  const quick = parseValueQuick(text, column, opts)
  if (quick !== undefined) return { ok: true, value: quick }
  const type: ColumnType = column.type
  switch (type) {
    case 'text':
      return done(text.replace(/\r\n?/g, '\n'), false)
    case 'number':
    case 'integer':
    case 'percent':
    case 'money':
      return parseNumeric(text, column, opts)
    case 'date':
      return parseDate(text, opts)
    case 'boolean':
      return parseBoolean(text)
    case 'enum':
      return parseEnum(text, column)
    case 'reference':
      return parseReference(text, opts)
    case 'period': {
      // periods: blank markers are empty as in every non-text column; the rest is shared/src/periods.
      if (isBlankInput(text)) return done(null, false)
      const g = column.format.granularity
      const r = parsePeriod(text, g ? { granularity: g, excelSerial: opts.excelSerial } : opts)
      return r.ok ? done(r.value, false) : { ok: false, error: r.error }
    }
    default:
      // Not assertNever: a column type from a newer client may reach old code through sync.
      return done(text, false)
  }
}
