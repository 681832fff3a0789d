/**
 * The run-time values of an expression and the rules that combine them: blanks, truthiness, number
 * coercion, equality and ordering (a row reached through a reference equals its id or its label), and
 * the per-row error (`fail`) that a compiled expression turns into a result. Shared by the evaluator
 * (evaluate.ts), name resolution (resolveNames.ts) and the function library (functions.ts).
 */
import type { CellValue } from '../schema/columnTypes.js'
import type { SheetSource } from './scope.js'

/** A row reached through a reference column or LOOKUP. */
export interface RowRef {
  readonly kind: 'row'
  readonly sheet: SheetSource
  readonly rowId: string
}

export type Val = CellValue | RowRef | Val[] | Readonly<Record<string, CellValue>>

/** A run-time error of one row (division by zero, text in arithmetic…): shown in that cell only. */
export interface ExprRowError {
  kind: 'div0' | 'type' | 'list'
  message: { zh: string; en: string }
}

export type EvalResult = { ok: true; value: CellValue } | { ok: false; error: ExprRowError }

export class Failure {
  constructor(readonly error: ExprRowError) {}
}

export function fail(kind: ExprRowError['kind'], zh: string, en: string): never {
  throw new Failure({ kind, message: { zh, en } })
}

export function isRow(v: Val): v is RowRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as RowRef).kind === 'row'
}

export function labelOf(r: RowRef): CellValue {
  const col = r.sheet.columns()[0]
  return col ? (r.sheet.cell(r.rowId, col.id) ?? null) : r.rowId
}

export function toNumber(v: Val, what: string): number | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return v
  if (typeof v === 'string') {
    const t = v.trim()
    if (t === '') return null
    const n = Number(t)
    if (Number.isFinite(n)) return n
  }
  const shown = isRow(v) ? String(labelOf(v)) : Array.isArray(v) ? '多行' : String(v)
  return fail(
    'type',
    `“${shown}”不是数字，不能用于${what}`,
    `"${shown}" is not a number and cannot be used in ${what}`,
  )
}

export function flatten(args: Val[], out: Val[] = []): Val[] {
  for (const a of args) {
    if (Array.isArray(a)) flatten(a, out)
    else out.push(a)
  }
  return out
}

export function numbersOf(args: Val[], what: string): number[] {
  const out: number[] = []
  for (const v of flatten(args)) {
    const n = toNumber(v, what)
    if (n !== null) out.push(n)
  }
  return out
}

export function truthy(v: Val): boolean | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'string') return v !== ''
  return true
}

export function scalar(v: Val): CellValue | RowRef {
  if (Array.isArray(v))
    return fail(
      'list',
      '结果是多行，请用 SUM、AVERAGE 或 COUNT 汇总',
      'The result is several rows; aggregate it with SUM, AVERAGE or COUNT',
    )
  if (typeof v === 'object' && v !== null && !isRow(v))
    return fail('type', '结果不是一个值', 'The result is not a single value')
  return v as CellValue | RowRef
}

export function equal(a: Val, b: Val): boolean {
  if (isRow(a)) return isRow(b) ? a.rowId === b.rowId : b === a.rowId || b === labelOf(a)
  if (isRow(b)) return equal(b, a)
  if ((a === null || a === undefined || a === '') && (b === null || b === undefined || b === ''))
    return true
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a
  if (typeof b === 'number' && typeof a === 'string') return equal(b, a)
  return a === b
}

export function compare(a: Val, b: Val, op: string): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  let x: number | string
  let y: number | string
  if (typeof a === 'string' && typeof b === 'string') {
    x = a
    y = b
  } else {
    x = toNumber(a, '比较') as number
    y = toNumber(b, '比较') as number
  }
  switch (op) {
    case '<':
      return x < y
    case '>':
      return x > y
    case '<=':
      return x <= y
    default:
      return x >= y
  }
}
