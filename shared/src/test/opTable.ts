import type * as Y from 'yjs'
import { CSV_IMPORT, PASTE } from '../model/origins.js'
import type { CellEdit, Sheet } from '../model/sheet.js'
import type { Workbook } from '../model/workbook.js'
import { type CellValue, COLUMN_TYPES, type ColumnType } from '../schema/columnTypes.js'

/**
 * One table of named, weighted random operations from the real vocabulary, used by the seeded
 * convergence test (randomOps.ts) and the chaos harness (test/chaos/ops.ts), as Yjs's
 * `applyRandomTests` takes an array of named operations: a new operation is added here once.
 */

export type Rand = () => number

export function pick<T>(rand: Rand, xs: readonly T[]): T | undefined {
  return xs.length === 0 ? undefined : xs[Math.floor(rand() * xs.length)]
}

/** The column types random operations add, in COLUMN_TYPES order: all but enum and reference. */
export const OP_TYPES = COLUMN_TYPES.filter((t) => t !== 'enum' && t !== 'reference')

/** What an operation runs against: one replica's workbook, undo stack and value source. */
export interface OpEnv {
  readonly rand: Rand
  readonly wb: Workbook
  readonly undo: Y.UndoManager
  /** The sheet to work on (a harness with one sheet returns it; undefined: none is live). */
  sheet(): Sheet | undefined
  /** A random value of the column's type (null allowed); `tag` makes chaos values unique. */
  value(type: ColumnType, tag: string): CellValue
  /** Writes cells through `Sheet.setCells` (the chaos harness logs the writes that took). */
  writeCells(s: Sheet, edits: CellEdit[]): void
  /** Text that names the operation, stamped into generated values. */
  readonly tag: string
  readonly limits: OpLimits
}

export interface OpLimits {
  /** Rows deleted only while more than this many are visible. */
  minRows: number
  /** Columns added only while fewer than this many are live. */
  maxColumns: number
  /** Columns deleted only while more than this many are live. */
  minColumns: number
  /** Rows per small import (max). */
  importRows: number
  /** Rows per bulk insert (one Yjs item, one CSV_IMPORT transaction). */
  bulkRows: number
  /** Row picks for a cell edit that may land on a deleted row (probability). */
  deletedRowEdit: number
}

/** A named operation: returns false when it found nothing to act on (it then wrote nothing). */
export interface NamedOp {
  readonly name: string
  readonly weight: number
  run(env: OpEnv, s: Sheet): boolean
}

function randomRows(env: OpEnv, ids: readonly string[], max: number): string[] {
  const n = 1 + Math.floor(env.rand() * max)
  return Array.from({ length: n }, () => pick(env.rand, ids)).filter((v): v is string => !!v)
}

function position(env: OpEnv, anchor: string | undefined) {
  if (!anchor || env.rand() >= 0.7) return {}
  return env.rand() < 0.5 ? { before: anchor } : { after: anchor }
}

function setOneCell(env: OpEnv, s: Sheet, clear: boolean): boolean {
  const ids = s.index.orderedIds()
  const anyRow = !clear && env.rand() < env.limits.deletedRowEdit
  const row = pick(env.rand, anyRow ? [...s.index.records.keys()] : ids)
  const col = pick(env.rand, s.columns())
  if (!row || !col) return false
  env.writeCells(s, [{ row, col: col.id, value: clear ? null : env.value(col.type, env.tag) }])
  return true
}

/** The operations and their relative weights (a harness may reweigh them by name). */
export const OPERATIONS: readonly NamedOp[] = [
  { name: 'setCell', weight: 45, run: (env, s) => setOneCell(env, s, false) },
  { name: 'clearCell', weight: 5, run: (env, s) => setOneCell(env, s, true) },
  {
    name: 'insertRows',
    weight: 8,
    run(env, s) {
      const cols = s.columns()
      const n = 1 + Math.floor(env.rand() * 3)
      const anchor = pick(env.rand, s.index.orderedIds())
      const rows = Array.from({ length: n }, () => {
        const rec: Record<string, CellValue> = {}
        for (const c of cols) if (env.rand() < 0.6) rec[c.id] = env.value(c.type, env.tag)
        return rec
      })
      s.insertRows(rows, position(env, anchor))
      return true
    },
  },
  {
    name: 'bulkInsert',
    weight: 0.15,
    run(env, s) {
      const cols = s.columns()
      env.wb.transact(
        () =>
          s.insertRows(
            Array.from({ length: env.limits.bulkRows }, (_, k) => {
              const rec: Record<string, CellValue> = {}
              for (const c of cols) rec[c.id] = env.value(c.type, `${env.tag}r${k}`)
              if (cols[0]) rec[cols[0].id] = `导入${k}`
              return rec
            }),
          ),
        CSV_IMPORT,
      )
      return true
    },
  },
  {
    name: 'import',
    weight: 0,
    run(env, s) {
      const cols = s.columns()
      const n = 1 + Math.floor(env.rand() * env.limits.importRows)
      env.wb.transact(
        () =>
          s.insertRows(
            Array.from({ length: n }, (_, k) => {
              const rec: Record<string, CellValue> = {}
              for (const c of cols) rec[c.id] = env.value(c.type, `${env.tag}r${k}`)
              return rec
            }),
          ),
        CSV_IMPORT,
      )
      return true
    },
  },
  {
    name: 'deleteRows',
    weight: 6.85,
    run(env, s) {
      const ids = s.index.orderedIds()
      const victims = randomRows(env, ids, 3)
      if (victims.length === 0 || ids.length <= env.limits.minRows) return false
      s.deleteRows(victims)
      return true
    },
  },
  {
    name: 'restoreRows',
    weight: 2,
    run(env, s) {
      const back = pick(env.rand, s.deletedRows())
      if (!back) return false
      s.restoreRows([back.id])
      return true
    },
  },
  {
    name: 'moveRows',
    weight: 8,
    run(env, s) {
      const ids = s.index.orderedIds()
      const moving = randomRows(env, ids, 3)
      const target = pick(env.rand, ids)
      if (moving.length === 0) return false
      s.moveRows(moving, target ? (env.rand() < 0.5 ? { before: target } : { after: target }) : {})
      return true
    },
  },
  {
    name: 'addColumn',
    weight: 3,
    run(env, s) {
      const cols = s.columns()
      if (cols.length >= env.limits.maxColumns) return false
      s.addColumn(
        { name: `列${Math.floor(env.rand() * 50)}`, type: pick(env.rand, OP_TYPES)! },
        { index: Math.floor(env.rand() * (cols.length + 1)) },
      )
      return true
    },
  },
  {
    name: 'renameColumn',
    weight: 2,
    run(env, s) {
      const col = pick(env.rand, s.columns())
      if (!col) return false
      s.renameColumn(col.id, `${col.name.slice(0, 12)}′`)
      return true
    },
  },
  {
    name: 'deleteColumn',
    weight: 1.5,
    run(env, s) {
      const cols = s.columns()
      const col = pick(env.rand, cols)
      if (!col || cols.length <= env.limits.minColumns) return false
      s.deleteColumn(col.id)
      return true
    },
  },
  {
    name: 'restoreColumn',
    weight: 1,
    run(env, s) {
      const col = pick(env.rand, s.deletedColumns())
      if (!col) return false
      s.restoreColumn(col.id)
      return true
    },
  },
  {
    name: 'moveColumn',
    weight: 1,
    run(env, s) {
      const cols = s.columns()
      const col = pick(env.rand, cols)
      if (!col) return false
      s.moveColumn(col.id, Math.floor(env.rand() * cols.length))
      return true
    },
  },
  {
    // A pasted block: 2–3 existing rows and 0–2 new ones × up to 3 columns, one transaction.
    name: 'paste',
    weight: 3.5,
    run(env, s) {
      const ids = s.index.orderedIds()
      const cols = s.columns().slice(0, 3)
      const start = ids.length === 0 ? 0 : Math.floor(env.rand() * ids.length)
      const existing = ids.slice(start, start + 2 + Math.floor(env.rand() * 2))
      const extraRows = Math.floor(env.rand() * 3)
      env.wb.transact(() => {
        const extra =
          extraRows > 0 ? s.insertRows(Array.from({ length: extraRows }, () => ({}))) : []
        const edits: CellEdit[] = []
        for (const row of [...existing, ...extra])
          for (const c of cols) edits.push({ row, col: c.id, value: env.value(c.type, env.tag) })
        env.writeCells(s, edits)
      }, PASTE)
      return true
    },
  },
  {
    name: 'undo',
    weight: 9,
    run(env) {
      env.undo.undo()
      return true
    },
  },
  {
    name: 'redo',
    weight: 4,
    run(env) {
      env.undo.redo()
      return true
    },
  },
  {
    // 采用此值 / 保留当前 from the conflict inbox: settle an unsettled conflict of this sheet.
    name: 'settleConflict',
    weight: 1,
    run(env, s) {
      const c = pick(
        env.rand,
        env.wb.history.unsettled().filter((k) => k.sheetId === s.id),
      )
      if (!c) return false
      // Adopting a value whose row's insert was undone is refused (a result, nothing written).
      if (env.rand() < 0.5 || !env.wb.history.adopt(c).ok) env.wb.history.keep(c)
      return true
    },
  },
  {
    // 恢复 from a cell's history: an older value written back as a new edit.
    name: 'restoreValue',
    weight: 1,
    run(env, s) {
      const row = pick(env.rand, s.index.orderedIds())
      const col = pick(env.rand, s.columns())
      if (!row || !col) return false
      const older = s.history.cell(row, col.id).filter((h) => !h.current)
      const h = pick(env.rand, older)
      if (!h) return false
      s.restoreValue(row, col.id, h.value)
      return true
    },
  },
  {
    name: 'addSheet',
    weight: 1,
    run(env) {
      const id = env.wb.addSheet(`表${Math.floor(env.rand() * 100)}`)
      env.wb.sheet(id).addColumn({ name: '名称', type: 'text' })
      return true
    },
  },
  {
    name: 'renameSheet',
    weight: 0.5,
    run(env, s) {
      env.wb.renameSheet(s.id, `${s.name.slice(0, 12)}*`)
      return true
    },
  },
  {
    name: 'deleteSheet',
    weight: 0.5,
    run(env, s) {
      if (env.wb.listSheets().length <= 1) return false
      env.wb.deleteSheet(s.id)
      return true
    },
  },
  {
    name: 'restoreSheet',
    weight: 0.5,
    run(env) {
      const back = pick(env.rand, env.wb.deletedSheets())
      if (!back) return false
      env.wb.restoreSheet(back.id)
      return true
    },
  },
]

/** The table with some weights replaced by name (0 turns an operation off). */
export function reweigh(
  weights: Readonly<Record<string, number>>,
  ops: readonly NamedOp[] = OPERATIONS,
): NamedOp[] {
  for (const name of Object.keys(weights))
    if (!ops.some((o) => o.name === name)) throw new Error(`no operation named ${name}`)
  return ops.map((o) => (o.name in weights ? { ...o, weight: weights[o.name]! } : o))
}

/**
 * Draws one operation by weight and runs it on `env.sheet()` (or adds a sheet when none is live).
 * Returns its name, or 'noop' when it found nothing to act on.
 */
export function applyRandomOp(env: OpEnv, ops: readonly NamedOp[] = OPERATIONS): string {
  const s = env.sheet()
  const usable = s ? ops : ops.filter((o) => o.name === 'addSheet')
  let total = 0
  for (const o of usable) total += o.weight
  if (total <= 0) return 'noop'
  let x = env.rand() * total
  let op = usable[usable.length - 1]!
  for (const o of usable) {
    if (x < o.weight) {
      op = o
      break
    }
    x -= o.weight
  }
  // The addSheet fallback runs without a sheet; every other operation has one here.
  return op.run(env, s as Sheet) ? op.name : 'noop'
}
