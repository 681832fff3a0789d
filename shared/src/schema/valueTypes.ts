/**
 * The types that parsing and formatting cell values share — the column fields they read, their options,
 * the typed parse error and result — and the three helpers every per-type parser builds its result with.
 * Public through `values.ts`; the helpers (`clip`, `fail`, `done`) stay inside schema/.
 */
import type { CellValue, Column } from './columnTypes.js'

/** The column fields that parsing and formatting look at. */
export type ValueColumn = Pick<Column, 'type' | 'format' | 'constraints'>

/** Options for {@link parseValue}. */
export interface ParseOptions {
  /** Accept Excel serial day numbers (1900 system) in date columns. */
  excelSerial?: boolean
  /** How a bare number in a percent column is read: percent points (default) or a fraction. */
  percentStyle?: 'percent' | 'number'
  /** Reference columns: map what the user typed (usually a display name) to a row id. */
  resolveReference?: (text: string) => string | undefined
  /** Reference columns: whether a row id exists in the referenced sheet. */
  referenceExists?: (rowId: string) => boolean
}

/** Options for {@link formatValue}. */
export interface FormatOptions {
  /** UI language; only booleans differ (是/否 or Yes/No). Default zh-CN. */
  locale?: 'zh-CN' | 'en'
  /** Percent columns: `63.7%` (default) or the stored fraction `0.637`. */
  percentStyle?: 'percent' | 'number'
  /** Text for an editor: full precision, no thousands separators, money as a plain number in the unit. */
  forEdit?: boolean
  /** Reference columns: the display name of a row id. */
  referenceLabel?: (rowId: string) => string | undefined
}

/** Why an input could not be parsed. */
export const ParseErrorKinds = {
  notANumber: 'not-a-number',
  notAnInteger: 'not-an-integer',
  badDate: 'bad-date',
  periodNotDate: 'period-not-date',
  badPercent: 'bad-percent',
  badBoolean: 'bad-boolean',
  notAnOption: 'not-an-option',
  unknownReference: 'unknown-reference',
  badPeriod: 'bad-period',
} as const
export type ParseErrorKind = (typeof ParseErrorKinds)[keyof typeof ParseErrorKinds]

/** A bilingual, user-facing message. */
export interface LocalizedMessage {
  zh: string
  en: string
}

export interface ParseError {
  kind: ParseErrorKind
  input: string
  message: LocalizedMessage
}

/** The outcome of {@link parseValue}; `approximate` marks figures like `1.2万余` (12,000+). */
export type ParseResult =
  | { ok: true; value: CellValue; approximate?: true }
  | { ok: false; error: ParseError }

export function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}

export function fail(kind: ParseErrorKind, input: string, zh: string, en: string): ParseResult {
  return { ok: false, error: { kind, input, message: { zh, en } } }
}

export function done(value: CellValue, approximate: boolean): ParseResult {
  return approximate ? { ok: true, value, approximate: true } : { ok: true, value }
}
