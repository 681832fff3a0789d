import type { Column, Sheet, Workbook } from '@taizhang/shared'

/** Reference columns: the referenced sheet and the column whose text labels its rows. */
function refLabelColumn(workbook: Workbook, col: Column): { sheet: Sheet; colId: string } | null {
  const refSheet = col.format.refSheet
  if (!refSheet || !workbook.hasSheet(refSheet)) return null
  const sheet = workbook.sheet(refSheet)
  const colId = col.format.refColumn ?? sheet.columns()[0]?.id
  return colId ? { sheet, colId } : null
}

export function referenceLabel(workbook: Workbook, col: Column, rowId: string): string | undefined {
  const ref = refLabelColumn(workbook, col)
  if (!ref?.sheet.hasRow(rowId)) return undefined
  const v = ref.sheet.getCell(rowId, ref.colId)
  return v === null ? undefined : String(v)
}

export function referenceOptions(workbook: Workbook, col: Column): [string, string][] {
  const ref = refLabelColumn(workbook, col)
  if (!ref) return []
  return ref.sheet.rowIds().map((id) => [id, String(ref.sheet.getCell(id, ref.colId) ?? id)])
}

/** `parseValue` options for a reference column: typed text resolves to the row labelled so. */
export function referenceParseOptions(workbook: Workbook, col: Column) {
  if (col.type !== 'reference') return {}
  const ref = refLabelColumn(workbook, col)
  if (!ref) return {}
  return {
    resolveReference: (text: string) => {
      for (const id of ref.sheet.rowIds())
        if (String(ref.sheet.getCell(id, ref.colId) ?? '') === text) return id
      return undefined
    },
    referenceExists: (id: string) => ref.sheet.hasRow(id),
  }
}
