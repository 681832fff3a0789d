import { attestEdit, readAttestation, type WorkbookConflict } from '@taizhang/shared'
import type { LocalAcks } from '../../history/attested'
import { makeConflictWatch } from '../../history/conflictWatch'
import { markerTitle } from '../../history/format'
import { t } from '../../i18n'
import { cellKey, parseCellKey } from '../cellKey'
import type { ConflictMark } from '../gridContext'
import type { GridFeature } from './GridFeature'

/**
 * Marks cells that hold the winner of a concurrent write (issue 13): a corner triangle, distinct
 * from the unsynced dot and the problem outline, whose tooltip names the other value(s), who and
 * when (`cells.conflicts`, read by the renderer). Updated in the task that changed the conflicts:
 * only rendered cells whose marker came, went or changed are redrawn, and a tooltip's text is
 * made when its cell is drawn (and again when the pointer reaches the marker, from the latest
 * conflicts and attestation).
 */
export const conflictMarkers: GridFeature = {
  name: 'conflictMarkers',
  install(api, ctx) {
    const { watch, release } = makeConflictWatch(ctx.workbook)
    ctx.host.add(release)
    // The tooltip names the token's user the server vouches for (issue 13 §4), as the inbox does
    // (`makeAttestLookup`): the attestation records read once per change of the conflicts, when
    // the first tooltip is drawn; each edit's Yjs id from the sheet's id index (kept up to date,
    // not a walk of the whole log per change: ~18 ms with 100,000 entries under load).
    let attestIndex: ReturnType<typeof readAttestation> | null = null
    const nameOf = (c: WorkbookConflict) => {
      const unacked = ctx.cells.unacked as Partial<LocalAcks>
      attestIndex ??= readAttestation(ctx.workbook.doc)
      const a = attestEdit(
        attestIndex,
        ctx.workbook.sheet(c.sheetId).history.logIdOf(c.lost.editId),
        c.lost.at,
        (id) => unacked.isUnconfirmed?.(id.client, id.clock) ?? false,
      )
      if (a.status !== 'attested') return c.lost.by
      // As the history panels write it: the vouched name, the self-chosen one as a note.
      return a.name === c.lost.by ? a.name : `✓ ${a.name}${t('attest.claimed', { by: c.lost.by })}`
    }
    const mark = (sig: string, list: readonly WorkbookConflict[]): ConflictMark => {
      let title: string | null = null
      return { sig, title: () => (title ??= markerTitle(ctx.sheet, list, nameOf)) }
    }
    const apply = (list: readonly WorkbookConflict[]) => {
      attestIndex = null
      const byCell = new Map<string, WorkbookConflict[]>()
      for (const c of list) {
        if (c.sheetId !== ctx.sheet.id || c.kind !== 'concurrent-edit') continue
        const k = cellKey(c.rowId, c.colId)
        const l = byCell.get(k)
        if (l) l.push(c)
        else byCell.set(k, [c])
      }
      const old = ctx.cells.conflicts
      const next = new Map<string, ConflictMark>()
      for (const [k, l] of byCell) {
        const sig = l.map((c) => c.id).join(' ')
        next.set(k, mark(sig, l))
      }
      ctx.cells.conflicts = next
      // Redraw only the rendered cells whose marker came, went or changed: a batch of 1,000
      // conflicts mostly lands out of view (those cells get their marker when drawn).
      const rendered = new Set<string>()
      for (const node of api.getRenderedNodes()) if (node.data) rendered.add(node.data.id)
      const changed: [string, string][] = []
      const consider = (k: string) => {
        if (old.get(k)?.sig === next.get(k)?.sig) return
        const cell = parseCellKey(k)
        if (cell && rendered.has(cell.rowId)) changed.push([cell.rowId, cell.colId])
      }
      for (const k of old.keys()) consider(k)
      for (const k of next.keys()) if (!old.has(k)) consider(k)
      if (changed.length > 0) ctx.refreshCells(changed)
    }
    ctx.host.add(watch.onChange(apply))
    apply(watch.unsettled())
    return undefined
  },
}
