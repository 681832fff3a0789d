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
 * Parts: names are resolved in resolveNames.ts (the scope they read is scope.ts), the functions are in
 * functions.ts, and run-time values, coercions and comparisons in runtime.ts; this module compiles the
 * operators and special forms (IF) and turns run-time failures into results.
 *
 * Blanks: a blank input gives a blank result (暂无数据 is not zero), comparisons with a blank are
 * unknown (null), so a rule over a blank cell is neither broken nor passed; aggregates skip blanks.
 */
import type { CellValue } from '../schema/columnTypes.js'
import { type CompileContext, type Compiled, CompileError } from './compileContext.js'
import { EXPR_FUNCTIONS, FUNCTIONS } from './functions.js'
import { type ExprError, locateName, type Node, type ParsedExpr, parseExpression } from './parse.js'
import { compileIdentifier, compileLookup, compileMember } from './resolveNames.js'
import {
  compare,
  type EvalResult,
  type ExprRowError,
  equal,
  Failure,
  fail,
  isRow,
  labelOf,
  type RowRef,
  scalar,
  toNumber,
  truthy,
} from './runtime.js'
import type { ExprScope } from './scope.js'

export { EXPR_FUNCTIONS, roundHalfAway } from './functions.js'
export type { EvalResult, ExprRowError, RowRef } from './runtime.js'
export { type ExprScope, moneyFactor, type SheetSource } from './scope.js'

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

/** Compile a parsed expression against a scope; errors name the place in the source. */
export function compileExpression(
  expr: ParsedExpr,
  scope: ExprScope,
): { ok: true; compiled: CompiledExpr } | { ok: false; error: ExprError } {
  const ctx: CompileContext = {
    expr,
    scope,
    reads: new Set<string>(),
    readsOtherSheets: false,
    err: (kind, name, zh, en) => {
      throw new CompileError({ kind, ...locateName(expr, name), message: { zh, en } })
    },
    compile: (node) => compile(node),
  }
  const err = ctx.err

  const compile = (node: Node): Compiled => {
    switch (node.type) {
      case 'Literal':
        return { fn: () => (node as unknown as { value: CellValue }).value }
      case 'Identifier':
        return compileIdentifier(ctx, node)
      case 'MemberExpression':
        return compileMember(ctx, node)
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
          return compileLookup(ctx, call.arguments)
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
        reads: ctx.reads,
        readsOtherSheets: ctx.readsOtherSheets,
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
