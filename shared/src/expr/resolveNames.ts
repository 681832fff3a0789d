/**
 * Name resolution at compile time: a bare name is a column of the sheet the expression runs over (or
 * `rec`, or a record from `scope.roots`), `a.b` follows a reference column into the sheet it names, and
 * LOOKUP(表, 列, 值) finds the rows of another sheet whose column holds a value. Each records what the
 * expression reads (`ctx.reads`, `ctx.readsOtherSheets`) for incremental recomputation.
 */
import type { CellValue, Column } from '../schema/columnTypes.js'
import type { CompileContext, Compiled } from './compileContext.js'
import { identifierName, type Node } from './parse.js'
import { equal, isRow, type RowRef, scalar, type Val } from './runtime.js'
import { moneyFactor, type SheetSource, scaleMoney } from './scope.js'

/** The column of `sheet` called `name` (exactly, else ignoring surrounding spaces). */
function columnOf(sheet: SheetSource, name: string): Column | undefined {
  return (
    sheet.columns().find((c) => c.name === name) ??
    sheet.columns().find((c) => c.name.trim() === name.trim())
  )
}

/** The compile error for a column `sheet` does not have, placed at `at` in the source. */
function noSuchColumn(ctx: CompileContext, at: string, sheet: SheetSource, name: string): never {
  return ctx.err(
    'unknown-column',
    at,
    `“${sheet.name}”中没有名为“${name}”的列`,
    `Sheet "${sheet.name}" has no column named "${name}"`,
  )
}

/** Reads `col` of the rows `rowOf` yields: a value, a row of the referenced sheet, or a list of them. */
function readColumn(
  ctx: CompileContext,
  sheet: SheetSource,
  col: Column,
  rowOf: (row: string) => Val,
): Compiled {
  const scope = ctx.scope
  if (sheet !== scope.sheet) ctx.readsOtherSheets = true
  else ctx.reads.add(col.id)
  const target =
    col.type === 'reference' && col.format.refSheet
      ? scope.sheetById(col.format.refSheet)
      : undefined
  if (target) ctx.readsOtherSheets = true
  const factor =
    col.type === 'money' && scope.moneyUnit ? moneyFactor(col.format.unit, scope.moneyUnit) : 1
  const read = (r: Val): Val => {
    if (r === null || r === undefined) return null
    if (Array.isArray(r)) return r.map(read)
    if (!isRow(r)) return null
    const v = r.sheet.cell(r.rowId, col.id) ?? null
    if (target && typeof v === 'string' && v !== '') return { kind: 'row', sheet: target, rowId: v }
    return scaleMoney(v, factor)
  }
  return { fn: (row) => read(rowOf(row)), ref: target }
}

/** A bare name: `rec`, a root record, or a column of `scope.sheet` (a reference column yields rows). */
export function compileIdentifier(ctx: CompileContext, node: Node): Compiled {
  const { expr, scope } = ctx
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
  if (!col) return noSuchColumn(ctx, raw, scope.sheet, name)
  const self = scope.sheet
  if (col.type !== 'reference') {
    ctx.reads.add(col.id)
    const id = col.id
    const factor =
      col.type === 'money' && scope.moneyUnit ? moneyFactor(col.format.unit, scope.moneyUnit) : 1
    if (factor !== 1) return { fn: (row) => scaleMoney(self.cell(row, id) ?? null, factor) }
    return { fn: (row) => self.cell(row, id) ?? null }
  }
  const target = col.format.refSheet ? scope.sheetById(col.format.refSheet) : undefined
  if (!target)
    return readColumn(ctx, self, col, (row) => ({ kind: 'row', sheet: self, rowId: row }))
  // The common case, read directly: no row object for the current row.
  ctx.reads.add(col.id)
  ctx.readsOtherSheets = true
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

/** `a.b`: a field of a root record, or column `b` of the rows `a` yields. */
export function compileMember(ctx: CompileContext, node: Node): Compiled {
  const expr = ctx.expr
  const m = node as unknown as { object: Node; property: Node; computed: boolean }
  if (m.computed || m.property.type !== 'Identifier')
    return ctx.err(
      'unsupported',
      '[',
      '不支持方括号取值，列名可写作 [列名]',
      'Indexing with [ ] is not supported; quote a column name as [name]',
    )
  const raw = (m.property as unknown as { name: string }).name
  const name = identifierName(expr, raw)
  const obj = ctx.compile(m.object)
  if (obj.record) {
    return { fn: (row) => (obj.fn(row) as Record<string, CellValue>)[name] ?? null }
  }
  if (!obj.ref)
    return ctx.err(
      'not-reference',
      raw,
      `“${name}”前面不是引用列，不能用“.”取值`,
      `Only a reference column can be followed by ".${name}"`,
    )
  const col = columnOf(obj.ref, name)
  if (!col) return noSuchColumn(ctx, raw, obj.ref, name)
  const c = readColumn(ctx, obj.ref, col, obj.fn)
  return obj.list ? { ...c, list: true } : c
}

function scanLookup(sheet: SheetSource, colId: string, value: CellValue): string[] {
  const out: string[] = []
  for (const id of sheet.rowIds()) if (equal(sheet.cell(id, colId) ?? null, value)) out.push(id)
  return out
}

/** LOOKUP(表, 列, 值): the rows of sheet 表 whose column 列 equals 值 (a list). */
export function compileLookup(ctx: CompileContext, args: Node[]): Compiled {
  const { expr, scope } = ctx
  const [sheetArg, colArg, valueArg] = args as [Node, Node, Node]
  const nameOf = (n: Node): string =>
    n.type === 'Identifier'
      ? identifierName(expr, (n as unknown as { name: string }).name)
      : n.type === 'Literal'
        ? String((n as unknown as { value: unknown }).value)
        : ''
  const sheetName = nameOf(sheetArg)
  const target = scope.sheetByName(sheetName)
  if (!target)
    return ctx.err(
      'unknown-column',
      sheetName,
      `没有名为“${sheetName}”的工作表`,
      `No sheet named "${sheetName}"`,
    )
  const colName = nameOf(colArg)
  const col = columnOf(target, colName)
  if (!col) return noSuchColumn(ctx, colName, target, colName)
  ctx.readsOtherSheets = true
  const value = ctx.compile(valueArg)
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
