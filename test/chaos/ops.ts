/**
 * Random operations from the real vocabulary (the same API the web app calls), drawn from the
 * shared named, weighted table (shared/src/test/opTable.ts, also the convergence test's): set and
 * clear cells, insert / delete / move / restore rows, add / rename / delete / restore columns,
 * pasted blocks, small imports, undo and redo. Values come from randomOps.ts's generator, but the
 * ops run on live networked clients and log every cell write.
 */
import {
  type CellValue,
  type ColumnType,
  cellKey,
  type Sheet,
  seededRandom,
} from '../../shared/src/index.js'
import { applyRandomOp, reweigh } from '../../shared/src/test/opTable.js'
import { pick, type Rand, randomTypedValue } from '../../shared/src/test/randomOps.js'
import type { ChaosClient } from './client.js'

export type { Rand }
export { pick }

/** The shared seeded PRNG (mulberry32), so a failing seed replays. */
export const prng: (seed: number) => Rand = seededRandom

export const SHEET_ID = 'chaos0'
const MAX_COLUMNS = 12

let valueCounter = 0
/** A value of the column's type; text values are unique so a write can be told from another. */
export function randomValue(rand: Rand, type: ColumnType, tag: string): CellValue {
  return randomTypedValue(
    rand,
    type,
    100_000,
    () =>
      `${pick(rand, ['朝歌街道社工站', '殷行街道', '新光源', '服务人次', '63.7%'])}·${tag}·${valueCounter++}`,
  )
}

/** Writes cells and logs each write that took (its edit id is the overlay's after the write). */
export function writeCells(
  c: ChaosClient,
  s: Sheet,
  edits: Array<{ row: string; col: string; value: CellValue }>,
  opId: number,
): void {
  const before = new Map(edits.map((e) => [cellKey(e.row, e.col), overlayId(s, e.row, e.col)]))
  s.setCells(edits)
  noteWrites(c, s, edits, opId, before)
}

function overlayId(s: Sheet, row: string, col: string): string | undefined {
  return s.index.overlayEntry(row, col)?.[1]
}

function noteWrites(
  c: ChaosClient,
  s: Sheet,
  edits: Array<{ row: string; col: string; value: CellValue }>,
  opId: number,
  before: Map<string, string | undefined>,
): void {
  for (const e of edits) {
    const id = overlayId(s, e.row, e.col)
    // No overlay change: the value was already there, so setCells wrote nothing.
    if (!id || before.get(cellKey(e.row, e.col)) === id) continue
    c.writes.push({
      client: c.index,
      opId,
      sheetId: s.id,
      row: e.row,
      col: e.col,
      value: e.value,
      editId: id,
    })
  }
}

export interface OpMix {
  /** Rows per small import (max). */
  importRows: number
}

/** The chaos run's weights on the shared operation table (one sheet, live networked clients). */
export const CHAOS_OPS = reweigh({
  setCell: 50,
  clearCell: 5,
  insertRows: 8,
  bulkInsert: 0,
  import: 2,
  deleteRows: 5,
  restoreRows: 2,
  moveRows: 6,
  addColumn: 2,
  renameColumn: 2,
  deleteColumn: 1,
  restoreColumn: 1,
  moveColumn: 0,
  paste: 6,
  undo: 7,
  redo: 3,
  addSheet: 0,
  renameSheet: 0,
  deleteSheet: 0,
  restoreSheet: 0,
  // Their writes bypass writeCells, so the acknowledged-write check could not explain them.
  settleConflict: 0,
  restoreValue: 0,
})

/**
 * Performs one random operation (from the shared table, shared/src/test/opTable.ts) on the
 * client's workbook and records it in the history log. Returns the op kind.
 */
export function randomOp(c: ChaosClient, rand: Rand, mix: OpMix = { importRows: 20 }): string {
  const wb = c.wb
  const undo = c.undo
  if (!wb || !undo) throw new Error(`client ${c.index} has no workbook`)
  const opId = c.ops.length
  const kind = applyRandomOp(
    {
      rand,
      wb,
      undo,
      sheet: () => wb.sheet(SHEET_ID),
      value: (type, tag) => randomValue(rand, type, tag),
      writeCells: (s, edits) => writeCells(c, s, edits, opId),
      tag: `c${c.index}o${opId}`,
      limits: {
        minRows: 10,
        maxColumns: MAX_COLUMNS,
        minColumns: 3,
        importRows: mix.importRows,
        bulkRows: 0,
        deletedRowEdit: 0,
      },
    },
    CHAOS_OPS,
  )
  c.record(kind)
  return kind
}
