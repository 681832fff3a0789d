import {
  type Column,
  type LogRecord,
  ROOT_HISTORY,
  ROOT_SHEETS,
  SHEET_DELETED,
  SHEET_DELETIONS,
  type Sheet,
  type Tombstone,
  Workbook,
} from '@taizhang/shared'
import * as Y from 'yjs'

/**
 * A read-only copy of a stored workbook, opened from its updates in a Y.Doc of its own (migrations
 * run on the copy only). Null when the updates hold no workbook (nothing stored, or a doc never
 * given a title or a sheet).
 */
export function openCopy(updates: Uint8Array[]): Workbook | null {
  const doc = new Y.Doc({ gc: true })
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u)
  })
  if (doc.share.size === 0) return null
  return Workbook.open(doc).workbook
}

/**
 * When the workbook last changed, as far as its doc tells (Unix ms): the newest of its creation,
 * its cell edits (the edit log) and its row and sheet deletions. Times are the writing clients'
 * clocks; rows inserted without cell edits leave no time (they are not in the log).
 */
export function workbookUpdatedAt(wb: Workbook): number {
  let latest = wb.meta().createdAt
  const history = wb.doc.getMap<Y.Array<LogRecord>>(ROOT_HISTORY)
  history.forEach((log) => {
    // Every entry, not the last few: clients' clocks disagree, so the newest need not be last.
    for (const rec of log) if (rec[4] > latest) latest = rec[4]
  })
  // Read from the doc directly: opening a Sheet would build its row index, far more than a list
  // of workbooks needs.
  wb.doc.getMap<Y.Map<unknown>>(ROOT_SHEETS).forEach((sheet) => {
    const deleted = sheet.get(SHEET_DELETED) as { at?: unknown } | undefined
    if (typeof deleted?.at === 'number' && deleted.at > latest) latest = deleted.at
    const tombstones = sheet.get(SHEET_DELETIONS)
    if (tombstones instanceof Y.Array) {
      for (const t of tombstones as Y.Array<Tombstone>) if (t[2] > latest) latest = t[2]
    }
  })
  return latest
}

/** A column as the API shows it: what a script needs to read the values. */
export interface ApiColumn {
  id: string
  name: string
  type: Column['type']
  /** Money columns: 元 or 万元. */
  unit?: string
  /** Enum columns: the allowed values. */
  options?: string[]
  required?: boolean
}

export function apiColumn(c: Column): ApiColumn {
  const out: ApiColumn = { id: c.id, name: c.name, type: c.type }
  if (c.format.unit) out.unit = c.format.unit
  if (c.constraints.options) out.options = c.constraints.options.map((o) => o.value)
  if (c.constraints.required) out.required = true
  return out
}

/** Finds a live sheet by id first, then by name (an id never looks like a Chinese name). */
export function findSheet(wb: Workbook, idOrName: string): Sheet | undefined {
  const byId = wb.listSheets().find((s) => s.id === idOrName)
  if (byId) return wb.sheet(byId.id)
  return wb.sheetByName(idOrName)
}

/**
 * The keys of a sheet's row objects: column names, with a duplicate name followed by its column
 * id in brackets (`名称 [c7]`) so no value is hidden behind another.
 */
export function columnKeys(cols: readonly Column[]): string[] {
  const seen = new Map<string, number>()
  for (const c of cols) seen.set(c.name, (seen.get(c.name) ?? 0) + 1)
  return cols.map((c) => ((seen.get(c.name) ?? 0) > 1 ? `${c.name} [${c.id}]` : c.name))
}
