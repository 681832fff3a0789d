import type { SettlementRecord } from '../model/types.js'
import { readSettlement } from './log.js'
import type { Conflict, Settlement } from './types.js'

/**
 * A conflict's id: its kind and the losing edit's id (edit ids are unique in a sheet). Stable on
 * every replica, so a settlement written on one names the same conflict on all.
 */
export function conflictId(c: Conflict): string {
  return `${c.kind}:${c.lost.editId}`
}

/**
 * One sheet's settlements by conflict id, in doc order. Settling is append-only: two users
 * settling a conflict at once, even differently, both leave a record; the conflict is settled
 * when any record names it, and every replica lists the same records in the same order.
 */
export function settlementsBySheet(
  records: readonly SettlementRecord[],
  sheetId: string,
): Map<string, Settlement[]> {
  const out = new Map<string, Settlement[]>()
  for (const rec of records) {
    if (rec[0] !== sheetId) continue
    const s = readSettlement(rec)
    if (!s) continue
    const list = out.get(s.conflictId)
    if (list) list.push(s)
    else out.set(s.conflictId, [s])
  }
  return out
}
