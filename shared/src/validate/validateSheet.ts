/**
 * Evaluate column constraints into a list of problems, each naming the cell, the rule and a message in
 * zh-CN and en. Problems are values for the grid and the import dialog to show; nothing here throws.
 */
import { isPeriod } from '../periods/period.js'
import type { CellValue, Column, ColumnType } from '../schema/columnTypes.js'
import { formatValue, isIsoDate, type LocalizedMessage, normalizeText } from '../schema/values.js'

/** Every rule a problem can come from, as an `as const` object with a derived union. */
export const ProblemRules = {
  required: 'required',
  unique: 'unique',
  min: 'min',
  max: 'max',
  enum: 'enum',
  reference: 'reference',
  type: 'type',
  /** A cross-field rule of the sheet (issue 14, shared/src/expr/computed.ts). */
  rule: 'rule',
  /** A value far outside its station's own history (issue 14, shared/src/expr/outliers.ts). */
  outlier: 'outlier',
} as const
export type ProblemRule = (typeof ProblemRules)[keyof typeof ProblemRules]

/** One broken constraint in one cell. */
export interface Problem {
  rowId: string
  colId: string
  rule: ProblemRule
  message: LocalizedMessage
  /** `warning`: shown, never blocking (outliers, warning-level rules); absent: an error. */
  level?: 'error' | 'warning'
  /** unique only: the other rows holding the same value. */
  otherRowIds?: string[]
}

/** A problem found in one cell on its own (no row or column id yet). */
export type CellProblem = Pick<Problem, 'rule' | 'message'>

/** Looks up whether `rowId` is a live row of sheet `sheetId`. */
export type ReferenceExists = (sheetId: string, rowId: string) => boolean

export interface ValidateSheetInput {
  columns: readonly Column[]
  rows: readonly { id: string; cells: Readonly<Record<string, CellValue | undefined>> }[]
  /** Without it, references are not checked. */
  referenceExists?: ReferenceExists
}

const NO_PROBLEMS: readonly CellProblem[] = Object.freeze([])

const TYPE_NAMES: Record<ColumnType, LocalizedMessage> = {
  text: { zh: '文本', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'a whole number' },
  percent: { zh: '百分比', en: 'a percentage' },
  money: { zh: '金额', en: 'an amount' },
  date: { zh: '日期（YYYY-MM-DD）', en: 'a date (YYYY-MM-DD)' },
  enum: { zh: '选项', en: 'an option' },
  boolean: { zh: '“是”或“否”', en: 'yes or no' },
  reference: { zh: '记录引用', en: 'a row reference' },
  period: { zh: '期间（如 2024-07、2024-Q3、2024）', en: 'a period (e.g. 2024-07, 2024-Q3, 2024)' },
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}

/** Whether a stored value counts as an empty cell: null, absent, or a blank string. */
export function isEmptyCell(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '')
}

function hasStoredType(type: ColumnType, v: CellValue): boolean {
  switch (type) {
    case 'number':
    case 'percent':
    case 'money':
      return typeof v === 'number' && Number.isFinite(v)
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v)
    case 'date':
      return isIsoDate(v)
    case 'boolean':
      return typeof v === 'boolean'
    case 'period':
      return isPeriod(v)
    case 'text':
    case 'enum':
    case 'reference':
      return typeof v === 'string'
    default:
      // Not assertNever: a column type from a newer client may reach old code through sync.
      return true
  }
}

// Most cells have no problem, so the list is allocated only for the first one.
function append(list: CellProblem[] | undefined, p: CellProblem): CellProblem[] {
  if (!list) return [p]
  list.push(p)
  return list
}

/**
 * Build a checker for one column's cells, doing the per-column work (option sets, bounds) once. The
 * checker covers required, type, min/max, enum and reference; `unique` needs the whole sheet.
 */
export function createCellValidator(
  column: Column,
  referenceExists?: ReferenceExists,
): (value: CellValue | undefined) => readonly CellProblem[] {
  const name = column.name
  const c = column.constraints ?? {}
  const type = column.type
  const numeric = type === 'number' || type === 'integer' || type === 'percent' || type === 'money'
  const boundOk = (b: unknown): b is number | string =>
    numeric ? typeof b === 'number' && Number.isFinite(b) : type === 'date' && isIsoDate(b)
  const min = boundOk(c.min) ? c.min : undefined
  const max = boundOk(c.max) ? c.max : undefined
  const options =
    type === 'enum' && c.options && c.options.length > 0
      ? new Set(c.options.map((o) => o.value))
      : undefined
  const refSheet = type === 'reference' ? column.format?.refSheet : undefined
  const checkRef = refSheet !== undefined && referenceExists !== undefined
  const fmt = (v: CellValue) => formatValue(v, column)

  return (value) => {
    if (value === undefined || value === null || isEmptyCell(value)) {
      if (!c.required) return NO_PROBLEMS
      return [
        { rule: 'required', message: { zh: `“${name}”不能为空`, en: `"${name}" is required` } },
      ]
    }
    if (!hasStoredType(type, value)) {
      const t = TYPE_NAMES[type] ?? { zh: type, en: type }
      return [
        {
          rule: 'type',
          message: {
            zh: `“${name}”应为${t.zh}，但存的是“${show(value)}”`,
            en: `"${name}" should be ${t.en} but holds "${show(value)}"`,
          },
        },
      ]
    }
    let out: CellProblem[] | undefined
    if (min !== undefined && (value as number | string) < min) {
      out = append(out, {
        rule: 'min',
        message: {
          zh: `“${name}”不能小于 ${fmt(min)}（现为 ${fmt(value)}）`,
          en: `"${name}" must be at least ${fmt(min)} (is ${fmt(value)})`,
        },
      })
    }
    if (max !== undefined && (value as number | string) > max) {
      out = append(out, {
        rule: 'max',
        message: {
          zh: `“${name}”不能大于 ${fmt(max)}（现为 ${fmt(value)}）`,
          en: `"${name}" must be at most ${fmt(max)} (is ${fmt(value)})`,
        },
      })
    }
    if (options && !options.has(value as string)) {
      out = append(out, {
        rule: 'enum',
        message: {
          zh: `“${name}”的值“${show(value)}”不在可选项中`,
          en: `"${name}" value "${show(value)}" is not one of the options`,
        },
      })
    }
    if (checkRef && !referenceExists(refSheet, value as string)) {
      out = append(out, {
        rule: 'reference',
        message: {
          zh: `“${name}”引用的记录不存在（${show(value)}）`,
          en: `"${name}" points at a row that does not exist (${show(value)})`,
        },
      })
    }
    return out ?? NO_PROBLEMS
  }
}

/**
 * Check one cell on its own (everything but `unique`), e.g. for the grid while editing.
 * @example validateCell(null, column) // [{ rule: 'required', message: { zh: '“服务人次”不能为空', … } }]
 */
export function validateCell(
  value: CellValue | undefined,
  column: Column,
  opts: { referenceExists?: ReferenceExists } = {},
): CellProblem[] {
  return [...createCellValidator(column, opts.referenceExists)(value)]
}

/** What a unique column compares: undefined for an empty cell (never a duplicate). */
export function uniqueKey(v: CellValue | undefined): string | undefined {
  if (isEmptyCell(v)) return undefined
  // Keys that differ only in width or surrounding space are the same key to a person.
  if (typeof v === 'string') return `s${normalizeText(v)}`
  return typeof v === 'number' ? `n${v}` : `b${v}`
}

function rowList(numbers: number[]): { zh: string; en: string } {
  const shown = numbers.slice(0, 3)
  const more = numbers.length - shown.length
  return {
    zh: `第 ${shown.join('、')} 行${more > 0 ? `等 ${numbers.length} 行` : ''}`,
    en: `${shown.length > 1 ? 'rows' : 'row'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  }
}

/**
 * Check every cell of a sheet against its columns' constraints, in row then column order. Duplicates in a
 * unique column are reported on every occurrence, naming the other rows by position (1-based).
 * One pass over the cells, plus one over each unique column; fine for 100,000 rows × 12 columns.
 */
export function validateSheet(input: ValidateSheetInput): Problem[] {
  const { columns, rows } = input
  const checkers = columns.map((col) => createCellValidator(col, input.referenceExists))
  // For each unique column: value key → indices of the rows holding it.
  const groups = columns.map((col) => {
    if (!col.constraints?.unique) return undefined
    const byKey = new Map<string, number[]>()
    for (let r = 0; r < rows.length; r++) {
      const key = uniqueKey(rows[r]?.cells[col.id])
      if (key === undefined) continue
      const list = byKey.get(key)
      if (list) list.push(r)
      else byKey.set(key, [r])
    }
    return byKey
  })

  const problems: Problem[] = []
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    if (!row) continue
    for (let ci = 0; ci < columns.length; ci++) {
      const col = columns[ci]
      const check = checkers[ci]
      if (!col || !check) continue
      const value = row.cells[col.id]
      for (const p of check(value)) problems.push({ rowId: row.id, colId: col.id, ...p })
      const byKey = groups[ci]
      const key = byKey && uniqueKey(value)
      const same = key === undefined ? undefined : byKey?.get(key)
      if (!same || same.length < 2) continue
      problems.push(duplicateProblem(col, row.id, value, r, same, (i) => rows[i]?.id ?? ''))
    }
  }
  return problems
}

/**
 * The `unique` problem of the row at position `r` (0-based) whose value `same` lists the positions
 * of (itself included, at least one other), naming the others by 1-based position; `idAt` gives a
 * position's row id. `validateSheet` uses it; the app's incremental validation builds the same
 * problems a slice of rows at a time.
 */
export function duplicateProblem(
  col: Column,
  rowId: string,
  value: CellValue | undefined,
  r: number,
  same: readonly number[],
  idAt: (position: number) => string,
): Problem {
  const others = same.filter((i) => i !== r)
  const where = rowList(others.map((i) => i + 1))
  return {
    rowId,
    colId: col.id,
    rule: 'unique',
    message: {
      zh: `“${col.name}”的值“${show(value)}”与${where.zh}重复`,
      en: `"${col.name}" value "${show(value)}" duplicates ${where.en}`,
    },
    otherRowIds: others.map(idAt),
  }
}
