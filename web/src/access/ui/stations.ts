import { listCompletenessSettings, type Workbook } from '@taizhang/shared'

/** A station as scopes and lock exceptions name it: its row id, label (name) and district. */
export interface StationChoice {
  id: string
  label: string
  district: string
}

/**
 * The workbook's stations: the rows of the sheet its periodic sheets' station column refers to
 * (issue 14's completeness settings), with their district. Empty when no periodic sheet is set up.
 */
export function workbookStations(wb: Workbook, sheetId?: string): StationChoice[] {
  const out = new Map<string, StationChoice>()
  for (const s of listCompletenessSettings(wb)) {
    if (sheetId && s.sheetId !== sheetId) continue
    if (!wb.hasSheet(s.sheetId)) continue
    const col = wb.sheet(s.sheetId).column(s.stationColumn)
    const ref = col?.format.refSheet
    if (!ref || !wb.hasSheet(ref)) continue
    const stations = wb.sheet(ref)
    const labelCol = col.format.refColumn ?? stations.columns()[0]?.id
    for (const id of stations.rowIds()) {
      if (out.has(id)) continue
      out.set(id, {
        id,
        label: String((labelCol && stations.getCell(id, labelCol)) ?? id),
        district: s.districtColumn ? String(stations.getCell(id, s.districtColumn) ?? '') : '',
      })
    }
  }
  return [...out.values()]
}

/** The distinct non-empty districts of `stations`, in first-seen order. */
export function districtsOf(stations: readonly StationChoice[]): string[] {
  return [...new Set(stations.map((s) => s.district).filter((d) => d !== ''))]
}
