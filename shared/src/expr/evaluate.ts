/**
 * Our evaluator for the expression language (parse.ts): the AST is compiled once into closures that
 * run per row, so a computed column over 100,000 rows costs one closure call per row, not a tree walk.
 *
 * Environment: bare names are columns of the sheet the expression runs over; `rec` is the current row
 * (so `rec.站点` = `站点`); other named records come from `scope.roots` (issue 16 passes `user`, so
 * `rec.站点 == user.station` works unchanged). `a.b` follows a reference column into the referenced
 * sheet (`站点.区县`); LOOKUP(表, 列, 值) gives the rows of another sheet whose column holds a value, and
 * `.列` on those rows gives a list for SUM/AVERAGE/COUNT/MIN/MAX.
 *
 * Blanks: a blank input gives a blank result (暂无数据 is not zero), comparisons with a blank are
 * unknown (null), so a rule over a blank cell is neither broken nor passed; aggregates skip blanks.
 */
import { periodInRange, periodRange } from '../periods/ranges.js'
import type { CellValue, Column, MoneyUnit } from '../schema/columnTypes.js'
import {
  type ExprError,
  identifierName,
  locateName,
  type Node,
  type ParsedExpr,
  parseExpression,
} from './parse.js'

/** A sheet as the evaluator reads it. */
export interface SheetSource {
  readonly id: string
  readonly name: string
  columns(): readonly Column[]
  rowIds(): readonly string[]
  cell(rowId: string, colId: string): CellValue | undefined
}

/** What names mean: the sheet the expression runs over, the other sheets, extra records. */
export interface ExprScope {
  sheet: SheetSource
  sheetById(id: string): SheetSource | undefined
  sheetByName(name: string): SheetSource | undefined
  /** Rows of `sheet` whose column holds `value` (LOOKUP); scanned when absent. */
  lookup?(sheet: SheetSource, colId: string, value: CellValue): readonly string[]
  /** Named records besides `rec`, e.g. `{ user: { station: '…', district: '杨浦区' } }` (issue 16). */
  roots?: Readonly<Record<string, Readonly<Record<string, CellValue>>>>
  /**
   * Read money columns in this unit (276 in a 万元 column reads as 2,760,000 with `元`), so an
   * expression or a summary never adds 元 to 万元. Unset: each column's own unit.
   */
  moneyUnit?: MoneyUnit
}

/** What one stored money figure is worth in another unit (万元 → 元: × 10,000). */
export function moneyFactor(from: MoneyUnit | undefined, to: MoneyUnit): number {
  const f = from ?? '元'
  return f === to ? 1 : f === '万元' ? 10_000 : 1 / 10_000
}

/** Exact-decimal scaling: 1.23 万元 is 12,300 元, not 12300.000000000002. */
function scaleMoney(v: CellValue, factor: number): CellValue {
  if (factor === 1 || typeof v !== 'number') return v
  const text = String(v)
  if (text.includes('e')) return v * factor
  return factor > 1 ? Number(`${text}e4`) : Number(`${text}e-4`)
}

/** A row reached through a reference column or LOOKUP. */
export interface RowRef {
  readonly kind: 'row'
  readonly sheet: SheetSource
  readonly rowId: string
}

type Val = CellValue | RowRef | Val[] | Readonly<Record<string, CellValue>>

/** A run-time error of one row (division by zero, text in arithmetic…): shown in that cell only. */
export interface ExprRowError {
  kind: 'div0' | 'type' | 'list'
  message: { zh: string; en: string }
}

export type EvalResult = { ok: true; value: CellValue } | { ok: false; error: ExprRowError }

/** A compiled expression: run it per row id of `scope.sheet`. */
export interface CompiledExpr {
  readonly source: string
  /** Column ids of `scope.sheet` it reads (for incremental recomputation). */
  readonly reads: ReadonlySet<string>
  /** Whether it reads other sheets (references, LOOKUP): then any change there may change it. */
  readonly readsOtherSheets: boolean
  run(rowId: string): EvalResult
  /** The raw value (row references kept), for rules and access checks. */
  raw(rowId: string): { ok: true; value: CellValue | RowRef } | { ok: false; error: ExprRowError }
}

class Failure {
  constructor(readonly error: ExprRowError) {}
}

function fail(kind: ExprRowError['kind'], zh: string, en: string): never {
  throw new Failure({ kind, message: { zh, en } })
}

interface Compiled {
  fn: (row: string) => Val
  /** The sheet whose rows this yields (a reference column, `rec`, LOOKUP). */
  ref?: SheetSource
  list?: boolean
  record?: boolean
}

class CompileError {
  constructor(readonly error: ExprError) {}
}

function isRow(v: Val): v is RowRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as RowRef).kind === 'row'
}

function labelOf(r: RowRef): CellValue {
  const col = r.sheet.columns()[0]
  return col ? (r.sheet.cell(r.rowId, col.id) ?? null) : r.rowId
}

function toNumber(v: Val, what: string): number | null {
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

function flatten(args: Val[], out: Val[] = []): Val[] {
  for (const a of args) {
    if (Array.isArray(a)) flatten(a, out)
    else out.push(a)
  }
  return out
}

function numbersOf(args: Val[], what: string): number[] {
  const out: number[] = []
  for (const v of flatten(args)) {
    const n = toNumber(v, what)
    if (n !== null) out.push(n)
  }
  return out
}

function truthy(v: Val): boolean | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'string') return v !== ''
  return true
}

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

function scalar(v: Val): CellValue | RowRef {
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

function equal(a: Val, b: Val): boolean {
  if (isRow(a)) return isRow(b) ? a.rowId === b.rowId : b === a.rowId || b === labelOf(a)
  if (isRow(b)) return equal(b, a)
  if ((a === null || a === undefined || a === '') && (b === null || b === undefined || b === ''))
    return true
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a
  if (typeof b === 'number' && typeof a === 'string') return equal(b, a)
  return a === b
}

function compare(a: Val, b: Val, op: string): boolean | null {
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

type Fn = { min: number; max: number; run: (args: Val[]) => Val }

const FUNCTIONS: Record<string, Fn> = {
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

function scanLookup(sheet: SheetSource, colId: string, value: CellValue): string[] {
  const out: string[] = []
  for (const id of sheet.rowIds()) if (equal(sheet.cell(id, colId) ?? null, value)) out.push(id)
  return out
}

/** Compile a parsed expression against a scope; errors name the place in the source. */
export function compileExpression(
  expr: ParsedExpr,
  scope: ExprScope,
): { ok: true; compiled: CompiledExpr } | { ok: false; error: ExprError } {
  const reads = new Set<string>()
  let readsOtherSheets = false
  const err = (kind: ExprError['kind'], name: string, zh: string, en: string): never => {
    throw new CompileError({ kind, ...locateName(expr, name), message: { zh, en } })
  }
  const columnOf = (sheet: SheetSource, name: string): Column | undefined =>
    sheet.columns().find((c) => c.name === name) ??
    sheet.columns().find((c) => c.name.trim() === name.trim())

  const readColumn = (sheet: SheetSource, col: Column, rowOf: (row: string) => Val): Compiled => {
    if (sheet !== scope.sheet) readsOtherSheets = true
    else reads.add(col.id)
    const target =
      col.type === 'reference' && col.format.refSheet
        ? scope.sheetById(col.format.refSheet)
        : undefined
    if (target) readsOtherSheets = true
    const factor =
      col.type === 'money' && scope.moneyUnit ? moneyFactor(col.format.unit, scope.moneyUnit) : 1
    const read = (r: Val): Val => {
      if (r === null || r === undefined) return null
      if (Array.isArray(r)) return r.map(read)
      if (!isRow(r)) return null
      const v = r.sheet.cell(r.rowId, col.id) ?? null
      if (target && typeof v === 'string' && v !== '')
        return { kind: 'row', sheet: target, rowId: v }
      return scaleMoney(v, factor)
    }
    return { fn: (row) => read(rowOf(row)), ref: target }
  }

  const compile = (node: Node): Compiled => {
    switch (node.type) {
      case 'Literal':
        return { fn: () => (node as unknown as { value: CellValue }).value }
      case 'Identifier': {
        const raw = (node as unknown as { name: string }).name
        const name = identifierName(expr, raw)
        if (raw === 'rec')
          return {
            fn: (row) => ({ kind: 'row', sheet: scope.sheet, rowId: row }),
            ref: scope.sheet,
          }
        const root = scope.roots?.[raw]
        if (root) return { fn: () => root, record: true }
        const col = columnOf(scope.sheet, name)
        if (!col)
          return err(
            'unknown-column',
            raw,
            `“${scope.sheet.name}”中没有名为“${name}”的列`,
            `Sheet "${scope.sheet.name}" has no column named "${name}"`,
          )
        const self = scope.sheet
        if (col.type !== 'reference') {
          reads.add(col.id)
          const id = col.id
          const factor =
            col.type === 'money' && scope.moneyUnit
              ? moneyFactor(col.format.unit, scope.moneyUnit)
              : 1
          if (factor !== 1) return { fn: (row) => scaleMoney(self.cell(row, id) ?? null, factor) }
          return { fn: (row) => self.cell(row, id) ?? null }
        }
        const target = col.format.refSheet ? scope.sheetById(col.format.refSheet) : undefined
        if (!target)
          return readColumn(self, col, (row) => ({ kind: 'row', sheet: self, rowId: row }))
        // The common case, read directly: no row object for the current row.
        reads.add(col.id)
        readsOtherSheets = true
        const id = col.id
        return {
          fn: (row) => {
            const v = self.cell(row, id)
            return typeof v === 'string' && v !== ''
              ? { kind: 'row', sheet: target, rowId: v }
              : (v ?? null)
          },
          ref: target,
        }
      }
      case 'MemberExpression': {
        const m = node as unknown as { object: Node; property: Node; computed: boolean }
        if (m.computed || m.property.type !== 'Identifier')
          return err(
            'unsupported',
            '[',
            '不支持方括号取值，列名可写作 [列名]',
            'Indexing with [ ] is not supported; quote a column name as [name]',
          )
        const raw = (m.property as unknown as { name: string }).name
        const name = identifierName(expr, raw)
        const obj = compile(m.object)
        if (obj.record) {
          return { fn: (row) => (obj.fn(row) as Record<string, CellValue>)[name] ?? null }
        }
        if (!obj.ref)
          return err(
            'not-reference',
            raw,
            `“${name}”前面不是引用列，不能用“.”取值`,
            `Only a reference column can be followed by ".${name}"`,
          )
        const col = columnOf(obj.ref, name)
        if (!col)
          return err(
            'unknown-column',
            raw,
            `“${obj.ref.name}”中没有名为“${name}”的列`,
            `Sheet "${obj.ref.name}" has no column named "${name}"`,
          )
        const c = readColumn(obj.ref, col, obj.fn)
        return obj.list ? { ...c, list: true } : c
      }
      case 'CallExpression': {
        const call = node as unknown as { callee: Node; arguments: Node[] }
        const callee =
          call.callee.type === 'Identifier' ? (call.callee as unknown as { name: string }).name : ''
        const fname = callee.toUpperCase()
        const argc = call.arguments.length
        const arity = (min: number, max: number) => {
          if (argc < min || argc > max)
            err(
              'arity',
              callee,
              `${fname} 需要 ${min === max ? min : `${min}–${max}`} 个参数，这里有 ${argc} 个`,
              `${fname} takes ${min === max ? min : `${min}–${max}`} argument(s), got ${argc}`,
            )
        }
        if (fname === 'IF') {
          arity(2, 3)
          const [c, a, b] = call.arguments.map(compile)
          return {
            fn: (row) => (truthy(c!.fn(row)) === true ? a!.fn(row) : b ? b.fn(row) : null),
          }
        }
        if (fname === 'LOOKUP') {
          arity(3, 3)
          const [sheetArg, colArg, valueArg] = call.arguments as [Node, Node, Node]
          const nameOf = (n: Node): string =>
            n.type === 'Identifier'
              ? identifierName(expr, (n as unknown as { name: string }).name)
              : n.type === 'Literal'
                ? String((n as unknown as { value: unknown }).value)
                : ''
          const sheetName = nameOf(sheetArg)
          const target = scope.sheetByName(sheetName)
          if (!target)
            return err(
              'unknown-column',
              sheetName,
              `没有名为“${sheetName}”的工作表`,
              `No sheet named "${sheetName}"`,
            )
          const colName = nameOf(colArg)
          const col = columnOf(target, colName)
          if (!col)
            return err(
              'unknown-column',
              colName,
              `“${target.name}”中没有名为“${colName}”的列`,
              `Sheet "${target.name}" has no column named "${colName}"`,
            )
          readsOtherSheets = true
          const value = compile(valueArg)
          const lookup = scope.lookup ?? scanLookup
          return {
            fn: (row) => {
              const v = value.fn(row)
              const key = isRow(v) ? v.rowId : (scalar(v) as CellValue)
              return lookup(target, col.id, key).map(
                (id): RowRef => ({ kind: 'row', sheet: target, rowId: id }),
              )
            },
            ref: target,
            list: true,
          }
        }
        const f = FUNCTIONS[fname]
        if (!f || callee === '')
          return err(
            'unknown-function',
            callee || '(',
            `没有名为“${callee}”的函数（可用：${EXPR_FUNCTIONS.join('、')}）`,
            `Unknown function "${callee}" (known: ${EXPR_FUNCTIONS.join(', ')})`,
          )
        arity(f.min, f.max)
        const args = call.arguments.map(compile)
        return { fn: (row) => f.run(args.map((a) => a.fn(row))) }
      }
      case 'UnaryExpression': {
        const u = node as unknown as { operator: string; argument: Node }
        const a = compile(u.argument)
        if (u.operator === '!')
          return {
            fn: (row) => {
              const t = truthy(a.fn(row))
              return t === null ? null : !t
            },
          }
        const sign = u.operator === '-' ? -1 : 1
        return {
          fn: (row) => {
            const n = toNumber(a.fn(row), '运算')
            return n === null ? null : sign * n
          },
        }
      }
      case 'BinaryExpression': {
        const b = node as unknown as { operator: string; left: Node; right: Node }
        const l = compile(b.left)
        const r = compile(b.right)
        const op = b.operator
        switch (op) {
          case '&&':
            return { fn: (row) => truthy(l.fn(row)) === true && truthy(r.fn(row)) === true }
          case '||':
            return { fn: (row) => truthy(l.fn(row)) === true || truthy(r.fn(row)) === true }
          case '=':
          case '==':
          case '===':
            return { fn: (row) => equal(l.fn(row), r.fn(row)) }
          case '<>':
          case '!=':
          case '!==':
            return { fn: (row) => !equal(l.fn(row), r.fn(row)) }
          case '<':
          case '>':
          case '<=':
          case '>=':
            return { fn: (row) => compare(l.fn(row), r.fn(row), op) }
          case '+':
            return {
              fn: (row) => {
                const x = l.fn(row)
                const y = r.fn(row)
                if (
                  typeof x === 'string' &&
                  typeof y === 'string' &&
                  (Number.isNaN(Number(x)) || Number.isNaN(Number(y)))
                )
                  return x + y
                const a = toNumber(x, '加法')
                const c = toNumber(y, '加法')
                return a === null || c === null ? null : a + c
              },
            }
          case '-':
          case '*':
          case '/':
          case '%':
          case '**':
            return {
              fn: (row) => {
                const a = toNumber(l.fn(row), '运算')
                const c = toNumber(r.fn(row), '运算')
                if (a === null || c === null) return null
                if ((op === '/' || op === '%') && c === 0)
                  return fail('div0', '除数为零', 'Division by zero')
                return op === '-'
                  ? a - c
                  : op === '*'
                    ? a * c
                    : op === '/'
                      ? a / c
                      : op === '%'
                        ? a % c
                        : a ** c
              },
            }
          default:
            return err(
              'unsupported',
              op,
              `不支持运算符“${op}”`,
              `The operator "${op}" is not supported`,
            )
        }
      }
      case 'ConditionalExpression': {
        const c = node as unknown as { test: Node; consequent: Node; alternate: Node }
        const t = compile(c.test)
        const a = compile(c.consequent)
        const b = compile(c.alternate)
        return { fn: (row) => (truthy(t.fn(row)) === true ? a.fn(row) : b.fn(row)) }
      }
      default:
        return err('unsupported', expr.source, '不支持这种写法', 'This form is not supported')
    }
  }

  try {
    const root = compile(expr.ast)
    const value = (rowId: string): CellValue | RowRef => scalar(root.fn(rowId))
    return {
      ok: true,
      compiled: {
        source: expr.source,
        reads,
        readsOtherSheets,
        raw(rowId) {
          try {
            return { ok: true, value: value(rowId) }
          } catch (e) {
            if (e instanceof Failure) return { ok: false, error: e.error }
            throw e
          }
        },
        run(rowId) {
          try {
            const v = value(rowId)
            if (isRow(v)) return { ok: true, value: labelOf(v) }
            if (typeof v === 'number' && !Number.isFinite(v)) return { ok: true, value: null }
            return { ok: true, value: v ?? null }
          } catch (e) {
            if (e instanceof Failure) return { ok: false, error: e.error }
            throw e
          }
        },
      },
    }
  } catch (e) {
    if (e instanceof CompileError) return { ok: false, error: e.error }
    throw e
  }
}

/**
 * Parse and compile in one step: what an editor calls as the user types.
 * @example compile('ROUND(服务人次 / 持证社工人数, 1)', scope)
 */
export function compileSource(
  source: string,
  scope: ExprScope,
): { ok: true; compiled: CompiledExpr } | { ok: false; error: ExprError } {
  const p = parseExpression(source)
  return p.ok ? compileExpression(p.expr, scope) : p
}
