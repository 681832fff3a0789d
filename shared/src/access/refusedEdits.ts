/**
 * The 未被接受的修改 list (issue 16 §3): one entry per change of this device that the server
 * refused (or that could not be re-applied after a rebuild), kept by the client so nothing typed
 * disappears. Plain JSON (stored in IndexedDB by the web app). Pure: `reapplyRefused` re-applies an
 * entry as a normal edit on a live workbook after asking the same `checkChange` the server asks.
 */

import { completenessSettings } from '../completeness/completeness.js'
import { ROOT_LEDGER } from '../model/keys.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { accessMap } from './accessDoc.js'
import type { AccessChecker, Change, RefusalReason } from './checkChange.js'
import { REFUSAL_MESSAGES } from './checkChange.js'
import type { AccessIdentity } from './roles.js'

/** Why an entry is in the list: a rule refused it, or the rebuild could not re-apply it. */
export type RefusedReason = RefusalReason | 'not-reapplied' | 'unresolved'

export const NOT_REAPPLIED_MESSAGES: Record<
  'not-reapplied' | 'unresolved',
  { zh: string; en: string }
> = {
  'not-reapplied': {
    zh: '这项修改无法自动重新应用（表、列或行已不存在，或是结构修改），请手动重做',
    en: 'this change could not be re-applied automatically (its sheet, column or row is gone, or it changes structure); redo it by hand',
  },
  unresolved: {
    zh: '服务器无法识别这项修改',
    en: 'the server could not place this change',
  },
}

export type RefusedKind = Change['kind'] | 'unresolved'

/** Where a row is, as people name it: its 1-based position, and station and period when the sheet has them. */
export interface RowLabel {
  index?: number
  station?: string
  period?: string
}

export interface RefusedEdit {
  /** Stable per place (`cell|sheet|row|col`, `ins|sheet|row`, `key|access|<key>`…): a newer refusal replaces an older one. */
  id: string
  kind: RefusedKind
  sheetId?: string
  sheetName?: string
  rowId?: string
  row?: RowLabel
  colId?: string
  colName?: string
  /** The server's value when refused (cells). */
  oldValue?: CellValue
  /** The value typed (cells). */
  newValue?: CellValue
  /** A refused new row's values by column id. */
  values?: Record<string, CellValue>
  /** Access and definition entries: the root map, its key, and the value to write (undefined: delete). */
  root?: 'access' | 'ledger'
  key?: string
  json?: unknown
  reason: RefusedReason
  message: { zh: string; en: string }
  lock?: { period: string; by: string; at: number; auto: boolean }
  /** When it was refused (ms). */
  at: number
}

export function refusedMessage(reason: RefusedReason): { zh: string; en: string } {
  return reason === 'not-reapplied' || reason === 'unresolved'
    ? NOT_REAPPLIED_MESSAGES[reason]
    : REFUSAL_MESSAGES[reason]
}

/** The list after adding `incoming`: an entry with the same id is replaced (newest reason wins). */
export function mergeRefused(
  existing: readonly RefusedEdit[],
  incoming: readonly RefusedEdit[],
): RefusedEdit[] {
  const byId = new Map<string, RefusedEdit>()
  for (const e of existing) byId.set(e.id, e)
  for (const e of incoming) byId.set(e.id, e)
  return [...byId.values()]
}

/** A reference cell shows the referenced row's value; everything else shows itself. */
export function displayCell(
  wb: Workbook,
  sheetId: string,
  colId: string,
  value: CellValue,
): CellValue {
  if (typeof value !== 'string' || !wb.hasSheet(sheetId)) return value
  const col = wb.sheet(sheetId).column(colId)
  if (col?.type !== 'reference') return value
  const { refSheet, refColumn } = col.format as { refSheet?: string; refColumn?: string }
  if (!refSheet || !refColumn || !wb.hasSheet(refSheet)) return value
  const shown = wb.sheet(refSheet).getCell(value, refColumn)
  return shown ?? value
}

/** Position, station and period of a row (in `wb`, or from `values` for a row `wb` lacks). */
export function rowLabel(
  wb: Workbook,
  sheetId: string,
  rowId: string,
  values?: Readonly<Record<string, CellValue>>,
): RowLabel {
  if (!wb.hasSheet(sheetId)) return {}
  const sheet = wb.sheet(sheetId)
  const out: RowLabel = {}
  const i = sheet.rowIndex(rowId)
  if (i >= 0) out.index = i + 1
  const s = completenessSettings(wb, sheetId)
  if (s) {
    const read = (c: string) =>
      (values && c in values ? values[c] : sheet.getCell(rowId, c)) ?? null
    const station = displayCell(wb, sheetId, s.stationColumn, read(s.stationColumn))
    const period = read(s.periodColumn)
    if (station !== null) out.station = String(station)
    if (period !== null) out.period = String(period)
  }
  return out
}

export type ReapplyResult =
  | { ok: true }
  | {
      ok: false
      reason: RefusedReason
      message: { zh: string; en: string }
      lock?: RefusedEdit['lock']
    }

function notReapplied(): ReapplyResult {
  return { ok: false, reason: 'not-reapplied', message: NOT_REAPPLIED_MESSAGES['not-reapplied'] }
}

/**
 * Re-applies a refused entry to `wb` as a normal edit if `checker` allows it now (a lock lifted, a
 * rule changed); otherwise writes nothing and says why. A refused new row comes back as a new row
 * at the end of its sheet with the same values; a cell whose row is gone cannot come back.
 */
export function reapplyRefused(
  wb: Workbook,
  checker: AccessChecker,
  who: AccessIdentity,
  edit: RefusedEdit,
  now: number,
): ReapplyResult {
  if (wb.readOnly) return notReapplied()
  const change = changeOf(wb, edit)
  if (!change) return notReapplied()
  const d = checker.check(who, change, now)
  if (!d.ok) return d.lock ? { ok: false, reason: d.reason, message: d.message, lock: d.lock } : d
  switch (edit.kind) {
    case 'cell':
      wb.sheet(edit.sheetId as string).setCell(
        edit.rowId as string,
        edit.colId as string,
        edit.newValue ?? null,
      )
      return { ok: true }
    case 'row-insert':
      wb.sheet(edit.sheetId as string).insertRows([liveValues(wb, edit)])
      return { ok: true }
    case 'row-delete':
      wb.sheet(edit.sheetId as string).deleteRows([edit.rowId as string])
      return { ok: true }
    case 'rules':
    case 'lock':
    case 'definition':
      wb.transact(() => {
        const map = edit.root === 'access' ? accessMap(wb) : wb.doc.getMap(ROOT_LEDGER)
        if (edit.json === undefined) map.delete(edit.key as string)
        else map.set(edit.key as string, JSON.parse(JSON.stringify(edit.json)))
      })
      return { ok: true }
    default:
      return notReapplied()
  }
}

/** The values of a refused new row restricted to columns the sheet still has. */
function liveValues(wb: Workbook, edit: RefusedEdit): Record<string, CellValue> {
  const sheet = wb.sheet(edit.sheetId as string)
  const out: Record<string, CellValue> = {}
  for (const [c, v] of Object.entries(edit.values ?? {})) if (sheet.column(c)) out[c] = v
  return out
}

/** The change an entry makes on `wb` today, or undefined when its place is gone. */
function changeOf(wb: Workbook, edit: RefusedEdit): Change | undefined {
  const sheetOk = edit.sheetId !== undefined && wb.hasSheet(edit.sheetId)
  switch (edit.kind) {
    case 'cell': {
      if (!sheetOk || !edit.rowId || !edit.colId) return undefined
      const sheet = wb.sheet(edit.sheetId as string)
      if (!sheet.hasRow(edit.rowId) || !sheet.column(edit.colId)) return undefined
      return {
        kind: 'cell',
        sheetId: edit.sheetId as string,
        rowId: edit.rowId,
        colId: edit.colId,
        value: edit.newValue ?? null,
      }
    }
    case 'row-insert':
      if (!sheetOk) return undefined
      // A fresh id: the checker only reads it to look the (absent) row up.
      return {
        kind: 'row-insert',
        sheetId: edit.sheetId as string,
        rowId: `${edit.rowId ?? 'new'}\u0000reapply`,
        values: liveValues(wb, edit),
      }
    case 'row-delete':
      if (!sheetOk || !edit.rowId || !wb.sheet(edit.sheetId as string).hasRow(edit.rowId))
        return undefined
      return { kind: 'row-delete', sheetId: edit.sheetId as string, rowId: edit.rowId }
    case 'rules':
      return edit.key ? { kind: 'rules' } : undefined
    case 'lock':
      return edit.key && edit.sheetId ? { kind: 'lock', sheetId: edit.sheetId } : undefined
    case 'definition': {
      if (!edit.key) return undefined
      const i = edit.key.indexOf(':')
      return {
        kind: 'definition',
        defKind: i > 0 ? edit.key.slice(0, i) : edit.key,
        id: edit.key.slice(i + 1),
      }
    }
    default:
      return undefined
  }
}
