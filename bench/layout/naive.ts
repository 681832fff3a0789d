/**
 * The naive layout the bench compares against (issue 2, §3): one Y.Map per row inside a Y.Map of
 * rows, one key per cell plus an order key per row. Deliberately minimal: no overlay, no log,
 * hard deletes.
 */
import { type CellValue, keysBetween, Y, type YDoc, type YMap } from './deps.js'

const ROOT_ROWS = 'rows'
const ORDER_KEY = '_order'

export function naiveRows(doc: YDoc): YMap<NaiveRow> {
  return doc.getMap<NaiveRow>(ROOT_ROWS)
}

export type NaiveRow = YMap<CellValue>

/** Inserts rows (values in `colIds` order) in one transaction; returns their ids. */
export function naiveInsertRows(
  doc: YDoc,
  colIds: readonly string[],
  rows: readonly CellValue[][],
  newId: () => string,
): string[] {
  const keys = keysBetween(null, null, rows.length)
  const ids: string[] = []
  doc.transact(() => {
    const map = naiveRows(doc)
    rows.forEach((values, i) => {
      const row = new Y.Map<CellValue>()
      row.set(ORDER_KEY, keys[i]!)
      for (let c = 0; c < colIds.length; c++) {
        const v = values[c]
        if (v !== null && v !== undefined) row.set(colIds[c]!, v)
      }
      const id = newId()
      map.set(id, row)
      ids.push(id)
    })
  })
  return ids
}

/** Row ids in display order (by order key, then id). */
export function naiveOrderedIds(doc: YDoc): string[] {
  const keyed: [string, string][] = []
  naiveRows(doc).forEach((row, id) => {
    keyed.push([String(row.get(ORDER_KEY)), id])
  })
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
  return keyed.map((k) => k[1])
}

export function naiveSetCell(doc: YDoc, rowId: string, colId: string, value: CellValue): void {
  doc.transact(() => naiveRows(doc).get(rowId)?.set(colId, value))
}

export function naiveDeleteRows(doc: YDoc, rowIds: readonly string[]): void {
  doc.transact(() => {
    const map = naiveRows(doc)
    for (const id of rowIds) map.delete(id)
  })
}
