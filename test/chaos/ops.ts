/**
 * Random operations from the real vocabulary (the same API the web app calls): set and clear
 * cells, insert / delete / move / restore rows, add / rename / delete / restore columns, pasted
 * blocks (PASTE origin: new rows and cells in one transaction), small imports (rows in one
 * CSV_IMPORT transaction), undo and redo. Values come from shared/src/test/randomOps.ts's
 * generator, but the ops run on live networked clients and log every cell write.
 */
import {
  type CellValue,
  type ColumnType,
  CSV_IMPORT,
  cellKey,
  type Overlay,
  PASTE,
  type Sheet,
  seededRandom,
} from '../../shared/src/index.js'
import { OP_TYPES, pick, type Rand, randomTypedValue } from '../../shared/src/test/randomOps.js'
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
  return (s.index.cellsMap.get(cellKey(row, col)) as Overlay | undefined)?.[1]
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

/**
 * Performs one random operation on the client's workbook and records it in the history log.
 * Returns the op kind.
 */
export function randomOp(c: ChaosClient, rand: Rand, mix: OpMix = { importRows: 20 }): string {
  const wb = c.wb
  if (!wb || !c.undo) throw new Error(`client ${c.index} has no workbook`)
  const s = wb.sheet(SHEET_ID)
  const cols = s.columns()
  const ids = s.index.orderedIds()
  const randomRow = () => (ids.length === 0 ? undefined : ids[Math.floor(rand() * ids.length)])
  const opId = c.ops.length
  const x = rand()
  const tag = `c${c.index}o${opId}`
  let kind = 'noop'
  if (x < 0.4) {
    const row = randomRow()
    const col = pick(rand, cols)
    if (row && col) {
      kind = 'setCell'
      writeCells(c, s, [{ row, col: col.id, value: randomValue(rand, col.type, tag) }], opId)
    }
  } else if (x < 0.45) {
    const row = randomRow()
    const col = pick(rand, cols)
    if (row && col) {
      kind = 'clearCell'
      writeCells(c, s, [{ row, col: col.id, value: null }], opId)
    }
  } else if (x < 0.53) {
    const n = 1 + Math.floor(rand() * 3)
    const anchor = randomRow()
    kind = 'insertRows'
    const rows = Array.from({ length: n }, () => {
      const rec: Record<string, CellValue> = {}
      for (const col of cols) if (rand() < 0.6) rec[col.id] = randomValue(rand, col.type, tag)
      return rec
    })
    s.insertRows(
      rows,
      anchor && rand() < 0.7 ? (rand() < 0.5 ? { before: anchor } : { after: anchor }) : {},
    )
  } else if (x < 0.58) {
    const victims = Array.from({ length: 1 + Math.floor(rand() * 2) }, randomRow).filter(
      (v): v is string => !!v,
    )
    // Keep a floor of rows so cell edits always have targets.
    if (victims.length > 0 && ids.length > 10) {
      kind = 'deleteRows'
      s.deleteRows(victims)
    }
  } else if (x < 0.6) {
    const back = pick(rand, s.deletedRows())
    if (back) {
      kind = 'restoreRows'
      s.restoreRows([back.id])
    }
  } else if (x < 0.66) {
    const moving = Array.from({ length: 1 + Math.floor(rand() * 3) }, randomRow).filter(
      (v): v is string => !!v,
    )
    const target = randomRow()
    if (moving.length > 0) {
      kind = 'moveRows'
      s.moveRows(moving, target ? (rand() < 0.5 ? { before: target } : { after: target }) : {})
    }
  } else if (x < 0.68) {
    if (cols.length < MAX_COLUMNS) {
      kind = 'addColumn'
      s.addColumn(
        { name: `列${Math.floor(rand() * 50)}`, type: pick(rand, OP_TYPES)! },
        { index: Math.floor(rand() * (cols.length + 1)) },
      )
    }
  } else if (x < 0.7) {
    const col = pick(rand, cols)
    if (col) {
      kind = 'renameColumn'
      s.renameColumn(col.id, `${col.name.slice(0, 12)}′`)
    }
  } else if (x < 0.71) {
    const col = pick(rand, cols)
    if (col && cols.length > 3) {
      kind = 'deleteColumn'
      s.deleteColumn(col.id)
    }
  } else if (x < 0.72) {
    const col = pick(rand, s.deletedColumns())
    if (col) {
      kind = 'restoreColumn'
      s.restoreColumn(col.id)
    }
  } else if (x < 0.78) {
    // A pasted block: 2–3 existing rows and 0–2 new ones × up to 3 columns, one transaction.
    kind = 'paste'
    const start = ids.length === 0 ? 0 : Math.floor(rand() * ids.length)
    const existing = ids.slice(start, start + 2 + Math.floor(rand() * 2))
    const pasteCols = cols.slice(0, 3)
    const extraRows = Math.floor(rand() * 3)
    const edits: Array<{ row: string; col: string; value: CellValue }> = []
    const before = new Map<string, string | undefined>()
    wb.transact(() => {
      const extra = extraRows > 0 ? s.insertRows(Array.from({ length: extraRows }, () => ({}))) : []
      for (const row of [...existing, ...extra])
        for (const col of pasteCols) {
          edits.push({ row, col: col.id, value: randomValue(rand, col.type, tag) })
          before.set(cellKey(row, col.id), overlayId(s, row, col.id))
        }
      s.setCells(edits)
    }, PASTE)
    noteWrites(c, s, edits, opId, before)
  } else if (x < 0.8) {
    // A small CSV import: rows appended in one CSV_IMPORT transaction.
    kind = 'import'
    const n = 1 + Math.floor(rand() * mix.importRows)
    wb.transact(
      () =>
        s.insertRows(
          Array.from({ length: n }, (_, k) => {
            const rec: Record<string, CellValue> = {}
            for (const col of cols) rec[col.id] = randomValue(rand, col.type, `${tag}r${k}`)
            return rec
          }),
        ),
      CSV_IMPORT,
    )
  } else if (x < 0.87) {
    kind = 'undo'
    c.undo.undo()
  } else if (x < 0.9) {
    kind = 'redo'
    c.undo.redo()
  } else {
    const row = randomRow()
    const col = pick(rand, cols)
    if (row && col) {
      kind = 'setCell'
      writeCells(c, s, [{ row, col: col.id, value: randomValue(rand, col.type, tag) }], opId)
    }
  }
  c.record(kind)
  return kind
}
