import type * as Y from 'yjs'
import { writeSettlementRecord } from '../history/log.js'
import { conflictId, settlementsBySheet } from '../history/settle.js'
import type { TrashItem } from '../history/trash.js'
import type { Conflict, Removal, SettleAction, Settlement } from '../history/types.js'
import { ROOT_SETTLEMENTS, SHEET_DELETED } from './keys.js'
import { CONFLICT_RESTORE, HISTORY_NOTE } from './origins.js'
import type { SettlementRecord } from './types.js'
import type { Workbook } from './workbook.js'

/** A conflict in the workbook-level inbox: where it is, its id and how (if) it was settled. */
export type WorkbookConflict = Conflict & {
  sheetId: string
  /** Stable on every replica (kind and losing edit id). */
  id: string
  /** Every settling of it, in doc order; empty while unsettled. */
  settlements: Settlement[]
}

/** Adopting a losing value: done, or why not (the row's insert was undone: no row to write to). */
export type AdoptResult = { ok: true } | { ok: false; reason: { zh: string; en: string } }

const ROW_GONE = {
  zh: '这一行的插入已被撤销，无法写回此值；可选择“保留当前”。',
  en: "This row's insertion was undone, so the value cannot be written back; choose Keep current instead.",
}

/** One sheet's part of the trash. */
export interface SheetTrash {
  sheetId: string
  rows: TrashItem[]
  columns: TrashItem[]
}

/**
 * The workbook's conflict inbox (冲突 (N)), settling and trash (回收站), computed from the doc on
 * the device. Settling is a record in the doc (root `settlements`), so every replica sees it.
 */
export class WorkbookHistory {
  /**
   * The settlement records grouped by sheet, read again only after the records changed; and each
   * inbox entry made once per (conflict, records): a sheet's conflict query hands back the same
   * `Conflict` objects for cells nothing touched (history/conflictIndex.ts), so a remote batch
   * costs the inbox O(its conflicts), not a re-read of every settlement and every conflict ever
   * found (measured: ~20 ms of a 1,000-conflict batch's task, bench/web/conflicts.bench.ts).
   */
  private records = 0
  private settled: { records: number; bySheet: Map<string, Map<string, Settlement[]>> } | null =
    null
  private readonly entries = new WeakMap<Conflict, { records: number; entry: WorkbookConflict }>()

  constructor(private readonly wb: Workbook) {}

  private get settlementArray(): Y.Array<SettlementRecord> {
    const arr = this.wb.doc.getArray<SettlementRecord>(ROOT_SETTLEMENTS)
    if (!this.observed) {
      this.observed = true
      // Before any observer of the transaction runs (an inbox recomputing in one must not read
      // the records of before it): a new version whenever a transaction changed the records.
      this.wb.doc.on('beforeObserverCalls', (tr: Y.Transaction) => {
        if ((tr.changed as Map<unknown, unknown>).has(arr)) this.records++
      })
    }
    return arr
  }
  private observed = false

  /** The records' version; a transaction still open that changed them gets a fresh one each call. */
  private recordsVersion(arr: Y.Array<SettlementRecord>): number {
    const open = this.wb.doc._transaction
    if ((open?.changed as Map<unknown, unknown> | undefined)?.has(arr)) this.records++
    return this.records
  }

  private settledOf(sheetId: string, version: number): Map<string, Settlement[]> {
    if (this.settled?.records !== version) this.settled = { records: version, bySheet: new Map() }
    let m = this.settled.bySheet.get(sheetId)
    if (!m) {
      m = settlementsBySheet(this.settlementArray.toArray(), sheetId)
      this.settled.bySheet.set(sheetId, m)
    }
    return m
  }

  /** Every conflict of every live sheet (settled ones too), sheet by sheet in tab order. */
  conflicts(): WorkbookConflict[] {
    const out: WorkbookConflict[] = []
    const version = this.recordsVersion(this.settlementArray)
    for (const info of this.wb.listSheets()) {
      const settled = this.settledOf(info.id, version)
      for (const c of this.wb.sheet(info.id).conflicts()) {
        const kept = this.entries.get(c)
        if (kept && kept.records === version && kept.entry.sheetId === info.id) {
          out.push(kept.entry)
          continue
        }
        const id = conflictId(c)
        const entry = { ...c, sheetId: info.id, id, settlements: settled.get(id) ?? [] }
        this.entries.set(c, { records: version, entry })
        out.push(entry)
      }
    }
    return out
  }

  /** The inbox: conflicts nobody has settled yet. */
  unsettled(): WorkbookConflict[] {
    return this.conflicts().filter((c) => c.settlements.length === 0)
  }

  /** 保留当前: settles a conflict, keeping the current value. Not an undo step. */
  keep(c: WorkbookConflict): void {
    this.wb.transact(() => this.settle(c, 'keep'), HISTORY_NOTE)
  }

  /**
   * 采用此值: writes the losing value back as a new edit (how: conflict restore; one undo step)
   * and settles the conflict. A value that lost to a deleted row or column brings that back too.
   */
  adopt(c: WorkbookConflict): AdoptResult {
    const s = this.wb.sheet(c.sheetId)
    if (!s.index.records.has(c.rowId)) return { ok: false, reason: ROW_GONE }
    this.wb.transact(() => {
      if (c.kind === 'edit-on-deleted-row') s.restoreRows([c.rowId])
      if (c.kind === 'fill-of-deleted-column') s.restoreColumn(c.colId)
      s.setCells([{ row: c.rowId, col: c.colId, value: c.lost.value }])
      this.settle(c, 'adopt')
    }, CONFLICT_RESTORE)
    return { ok: true }
  }

  private settle(c: WorkbookConflict, action: SettleAction): void {
    const arr = this.settlementArray
    const rec = writeSettlementRecord({
      sheetId: c.sheetId,
      conflictId: c.id,
      action,
      by: this.wb.author().name,
      at: this.wb.now(),
    })
    arr.insert(arr.length, [rec])
  }

  /** 回收站: deleted sheets, and every live sheet's deleted rows and columns, with who and when. */
  trash(): { sheets: (Removal & { id: string; name: string })[]; bySheet: SheetTrash[] } {
    const sheets = this.wb.deletedSheets().map((info) => {
      const d = this.wb.sheetDeletion(info.id)
      return { id: info.id, name: info.name, by: d?.by ?? '', at: d?.at ?? 0 }
    })
    sheets.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1))
    const bySheet: SheetTrash[] = []
    for (const info of this.wb.listSheets()) {
      const t = this.wb.sheet(info.id).history.trash()
      if (t.rows.length > 0 || t.columns.length > 0) bySheet.push({ sheetId: info.id, ...t })
    }
    return { sheets, bySheet }
  }
}

/** Reads a sheet map's deletion record (`{ by, at }`), if any. */
export function readRemoval(m: Y.Map<unknown>): Removal | undefined {
  const d = m.get(SHEET_DELETED) as Partial<Removal> | undefined
  return d === undefined ? undefined : { by: String(d?.by ?? ''), at: Number(d?.at ?? 0) }
}
