import {
  type AttestIndex,
  createRemovalLookup,
  type EditEntry,
  readAttestation,
  type Workbook,
  type WorkbookConflict,
} from '@taizhang/shared'
import { attestationJson, attestedJson, logIds } from './history.js'

type Ids = Map<string, { client: number; clock: number }>

/** An edit as the API shows it: the logged author (`by`) and the attested one (`attested`). */
function apiEdit(e: EditEntry | null, attest: AttestIndex, ids: Ids) {
  if (!e) return null
  return {
    value: e.value,
    by: e.by,
    at: new Date(e.at).toISOString(),
    how: e.how,
    attested: attestedJson(attest, ids.get(e.editId)),
  }
}

/**
 * `GET /api/workbooks/<id>/conflicts` (issue 13 §5): every unsettled conflict of the workbook's
 * live sheets, as the 冲突 inbox lists them — sheet, row, column, kind, the current (winning) value
 * and the losing one with author and time. `?all=1` includes settled ones with their settlements.
 */
export function listConflicts(wb: Workbook, all: boolean) {
  const names = new Map(wb.listSheets().map((s) => [s.id, s.name]))
  const columnName = (sheetId: string, colId: string) =>
    wb
      .sheet(sheetId)
      .columns()
      .find((c) => c.id === colId)?.name ?? null
  const list: WorkbookConflict[] = all ? wb.history.conflicts() : wb.history.unsettled()
  const attest = readAttestation(wb.doc)
  // Who deleted the row or column a losing edit landed on, as the server vouches for it
  // (`deletedBy` is the name the deleting client chose; attestation, issue 13 §4).
  const removals = createRemovalLookup(wb.doc)
  const idsBySheet = new Map<string, Ids>()
  const idsOf = (sheetId: string): Ids => {
    let ids = idsBySheet.get(sheetId)
    if (!ids) {
      ids = logIds(wb.doc, sheetId)
      idsBySheet.set(sheetId, ids)
    }
    return ids
  }
  return {
    conflicts: list.map((c) => ({
      id: c.id,
      kind: c.kind,
      sheet: { id: c.sheetId, name: names.get(c.sheetId) ?? null },
      rowId: c.rowId,
      column: { id: c.colId, name: columnName(c.sheetId, c.colId) },
      current: c.kind === 'concurrent-edit' ? apiEdit(c.winner, attest, idsOf(c.sheetId)) : null,
      lost: apiEdit(c.lost, attest, idsOf(c.sheetId)),
      ...(c.kind !== 'concurrent-edit'
        ? {
            deletedBy: c.deletedBy,
            deletedAt: new Date(c.deletedAt).toISOString(),
            deletedAttested: attestationJson(
              c.kind === 'edit-on-deleted-row'
                ? removals.row(c.sheetId, c.rowId, c.deletedAt)
                : removals.column(c.sheetId, c.colId, c.deletedAt),
            ),
          }
        : {}),
      settlements: c.settlements.map((s) => ({
        action: s.action,
        by: s.by,
        at: new Date(s.at).toISOString(),
      })),
    })),
  }
}
