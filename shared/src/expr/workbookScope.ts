/**
 * The evaluator's view of a live workbook: sheets read through the model's public API, and LOOKUP
 * answered from a per-column index built on first use and dropped whenever that sheet changes.
 */
import type { Sheet } from '../model/sheet.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import type { ExprScope, SheetSource } from './evaluate.js'

/** A `SheetSource` over a model sheet. */
export function sheetSource(sheet: Sheet): SheetSource {
  return {
    id: sheet.id,
    get name() {
      return sheet.name
    },
    columns: (): readonly Column[] => sheet.columns(),
    rowIds: (): readonly string[] => sheet.rowIds(),
    cell: (rowId: string, colId: string): CellValue | undefined => sheet.getCell(rowId, colId),
  }
}

/** Scopes for every sheet of a workbook, sharing lookup indexes; `dispose` stops watching it. */
export interface WorkbookScopes {
  scope(sheetId: string, roots?: ExprScope['roots']): ExprScope | undefined
  dispose(): void
}

export function createWorkbookScopes(wb: Workbook): WorkbookScopes {
  const sources = new Map<string, SheetSource>()
  /** sheetId → colId → value key → row ids */
  const indexes = new Map<string, Map<string, Map<string, string[]>>>()
  const off = wb.onChange((change) => {
    if (change.sheetsChanged) sources.clear()
    for (const id of change.sheets.keys()) indexes.delete(id)
  })
  const source = (id: string): SheetSource | undefined => {
    let s = sources.get(id)
    if (!s && wb.hasSheet(id)) {
      s = sheetSource(wb.sheet(id))
      sources.set(id, s)
    }
    return s
  }
  const key = (v: CellValue | undefined) =>
    v === null || v === undefined ? '' : `${typeof v}:${v}`
  const lookup = (sheet: SheetSource, colId: string, value: CellValue): readonly string[] => {
    let bySheet = indexes.get(sheet.id)
    if (!bySheet) {
      bySheet = new Map()
      indexes.set(sheet.id, bySheet)
    }
    let byValue = bySheet.get(colId)
    if (!byValue) {
      byValue = new Map()
      for (const id of sheet.rowIds()) {
        const k = key(sheet.cell(id, colId))
        const list = byValue.get(k)
        if (list) list.push(id)
        else byValue.set(k, [id])
      }
      bySheet.set(colId, byValue)
    }
    return (
      byValue.get(key(value)) ??
      (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? (byValue.get(key(Number(value))) ?? [])
        : [])
    )
  }
  return {
    scope(sheetId, roots) {
      const sheet = source(sheetId)
      if (!sheet) return undefined
      return {
        sheet,
        sheetById: source,
        sheetByName: (name) => {
          const info = wb.listSheets().find((s) => s.name === name)
          return info ? source(info.id) : undefined
        },
        lookup,
        roots,
      }
    },
    dispose: off,
  }
}
