/**
 * The one cell-key format of the web app: ids joined by U+0000, which no row, column or sheet id
 * contains (the model mints them from [A-Za-z0-9_-]). The unacked-cell markers
 * (`doc/UnackedCells.ts`) store `sheetCellKey`; grid overlays (problems, peers, search hits) key
 * their maps by `cellKey`.
 */
const SEP = '\u0000'

/** A cell of the sheet on screen. */
export function cellKey(rowId: string, colId: string): string {
  return rowId + SEP + colId
}

/** The inverse of `cellKey`; null for a key not made by it. */
export function parseCellKey(key: string): { rowId: string; colId: string } | null {
  const i = key.indexOf(SEP)
  if (i < 0) return null
  return { rowId: key.slice(0, i), colId: key.slice(i + 1) }
}

/** A cell of any sheet (the same format as `UnackedCells`' keys). */
export function sheetCellKey(sheetId: string, rowId: string, colId: string): string {
  return sheetId + SEP + rowId + SEP + colId
}

/** The inverse of `sheetCellKey`; null for a key not made by it. */
export function parseSheetCellKey(
  key: string,
): { sheetId: string; rowId: string; colId: string } | null {
  const parts = key.split(SEP)
  if (parts.length !== 3) return null
  const [sheetId, rowId, colId] = parts as [string, string, string]
  return { sheetId, rowId, colId }
}
