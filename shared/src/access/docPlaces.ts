/**
 * Where a Yjs item lives in a workbook doc, as the access check names changes: shared by the
 * server's update classifier (classifyUpdate.ts) and the web app's undo check
 * (web/src/access/undo/undoChanges.ts), which name the same places the same way.
 */
import * as Y from 'yjs'
import { ROOT_SHEETS, SHEET_BATCHES } from '../model/keys.js'
import type { Workbook } from '../model/workbook.js'

/** A place in the doc: the parent type's path and the map key. */
export interface DocPlace {
  /** Keys from the root to the parent type (root name first); a list element's key is '#'. */
  path: string[]
  /** The map key, or null for a list element. */
  sub: string | null
}

/** Column fields anyone who may write may change (a column's width is layout, not structure). */
export const FREE_COLUMN_FIELDS: ReadonlySet<string> = new Set(['width'])

/**
 * Root type → its name, per doc, kept between calls. A miss rebuilds it from `doc.share`: roots
 * are added, and Yjs replaces a placeholder root by a typed one under the same name.
 */
const rootNameCache = new WeakMap<Y.Doc, Map<unknown, string>>()
export function rootNameOf(doc: Y.Doc, type: unknown): string | undefined {
  const hit = rootNameCache.get(doc)?.get(type)
  if (hit !== undefined) return hit
  const names = new Map<unknown, string>()
  for (const [name, t] of doc.share) names.set(t, name)
  rootNameCache.set(doc, names)
  return names.get(type)
}

/** The columns of an import batch of a sheet, as the doc holds them (undefined: none). */
export function batchColumns(wb: Workbook, sheetId: string, batchId: string): string[] | undefined {
  const sheet = wb.doc.getMap(ROOT_SHEETS).get(sheetId)
  if (!(sheet instanceof Y.Map)) return undefined
  const batches = sheet.get(SHEET_BATCHES)
  const cols = batches instanceof Y.Map ? batches.get(batchId) : undefined
  return Array.isArray(cols) ? (cols as string[]) : undefined
}
