import type { WorkbookConflict } from '@taizhang/shared'
import { type LocalAcks, makeAttestLookup } from '../../history/attested'
import { makeConflictWatch } from '../../history/conflictWatch'
import { markerTitle } from '../../history/format'
import { t } from '../../i18n'
import { cellKey, parseCellKey } from '../cellKey'
import type { GridFeature } from './GridFeature'

/**
 * Marks cells that hold the winner of a concurrent write (issue 13): a corner triangle, distinct
 * from the unsynced dot and the problem outline, whose tooltip names the other value(s), who and
 * when (`cells.conflicts`, read by the renderer). Updated in the task that changed the conflicts.
 */
export const conflictMarkers: GridFeature = {
  name: 'conflictMarkers',
  install(api, ctx) {
    const { watch, release } = makeConflictWatch(ctx.workbook)
    ctx.host.add(release)
    const apply = (list: readonly WorkbookConflict[]) => {
      const bySell = new Map<string, WorkbookConflict[]>()
      for (const c of list) {
        if (c.sheetId !== ctx.sheet.id || c.kind !== 'concurrent-edit') continue
        const k = cellKey(c.rowId, c.colId)
        const l = bySell.get(k)
        if (l) l.push(c)
        else bySell.set(k, [c])
      }
      const next = new Map<string, string>()
      // The tooltip names the token's user the server vouches for (issue 13 §4), as the inbox does.
      const unacked = ctx.cells.unacked as Partial<LocalAcks>
      const attestOf = makeAttestLookup(ctx.workbook.doc, {
        isUnconfirmed: (client, clock) => unacked.isUnconfirmed?.(client, clock) ?? false,
      })
      const nameOf = (c: WorkbookConflict) => {
        const a = attestOf(c.sheetId, c.lost.editId, c.lost.at)
        if (a.status !== 'attested') return c.lost.by
        // As the history panels write it: the vouched name, the self-chosen one as a note.
        return a.name === c.lost.by
          ? a.name
          : `✓ ${a.name}${t('attest.claimed', { by: c.lost.by })}`
      }
      for (const [k, l] of bySell) next.set(k, markerTitle(ctx.sheet, l, nameOf))
      const old = ctx.cells.conflicts
      ctx.cells.conflicts = next
      const changed: [string, string][] = []
      for (const k of new Set([...old.keys(), ...next.keys()])) {
        if (old.get(k) === next.get(k)) continue
        const cell = parseCellKey(k)
        if (cell) changed.push([cell.rowId, cell.colId])
      }
      if (changed.length > 500) api.refreshCells({ force: true })
      else if (changed.length > 0) ctx.refreshCells(changed)
    }
    ctx.host.add(watch.onChange(apply))
    apply(watch.unsettled())
    return undefined
  },
}
