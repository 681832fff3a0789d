/**
 * Access rules in the grid (issue 16 §3): cells the user may not write are not editable and are
 * shown so — a lock (period locked, tooltip who/when) or greyed (another station's row, a column
 * the rules do not grant) — and every write the grid's features make goes through one guarded
 * sheet (`guard`), which skips the cells, rows and inserts the rules refuse and reports them.
 *
 * The decisions come from the workbook's access gate (web/src/access/ui/accessGate.ts), the same
 * checker the server runs. Without a gate (a grid mounted without a session) nothing changes.
 */
import type { CellEdit, CellValue, Decision, RowPosition, Sheet, Workbook } from '@taizhang/shared'
import type { CellClassParams, ColDef, EditableCallbackParams } from 'ag-grid-community'
import { type AccessGate, accessGateOf } from '../../access/ui/accessGate'
import { refusalTitle } from '../../access/ui/text'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridContext } from '../gridContext'
import type { RowData } from '../rowData'
import type { GridFeature } from './GridFeature'

type Refusal = Extract<Decision, { ok: false }>

export interface AccessFeature extends GridFeature {
  /** The sheet the grid's features write through: refused writes are skipped and reported. */
  guard(sheet: Sheet): Sheet
  /** Adds the access checks (editable, lock and greyed classes) to built column defs. */
  decorate(defs: ColDef<RowData>[]): ColDef<RowData>[]
}

export function makeAccess(workbook: Workbook): AccessFeature {
  const gate = (): AccessGate | undefined => accessGateOf(workbook)
  const markOf = (p: CellClassParams<RowData>) => {
    const g = gate()
    if (!g || !p.data) return null
    return g.mark((p.context as GridContext).sheetId, p.data.id, p.column.getColId())
  }
  const classRules = {
    'tz-locked': (p: CellClassParams<RowData>) => markOf(p) === 'locked',
    'tz-out-of-scope': (p: CellClassParams<RowData>) => markOf(p) === 'out-of-scope',
  }
  return {
    name: 'access',
    decorate(defs) {
      return defs.map((d) => {
        if (d.colId === ROW_NUMBER_COL) return d
        const base = d.editable
        return {
          ...d,
          editable:
            base === true
              ? (p: EditableCallbackParams<RowData>) => {
                  const g = gate()
                  if (!g || !p.data) return true
                  return g.cell((p.context as GridContext).sheetId, p.data.id, p.column.getColId())
                    .ok
                }
              : base,
          cellClassRules: { ...(d.cellClassRules as object), ...classRules },
        }
      })
    },
    guard(sheet) {
      return guardSheet(sheet, gate)
    },
    install(api, ctx) {
      // A rule or lock changed: every shown cell's decision may have. Data edits refresh their
      // own rows through the model binding (and with them the classes).
      const g = gate()
      if (g) {
        ctx.host.add(
          g.onChange((accessChanged) => {
            if (accessChanged && !api.isDestroyed()) api.refreshCells({ force: true })
          }),
        )
      }
      // The lock tooltip: written when the pointer reaches a locked cell (no tooltip module).
      ctx.host.listen(ctx.container, 'mouseover', (e) => {
        const el = (e.target as HTMLElement).closest<HTMLElement>('.ag-cell')
        const g2 = gate()
        if (!el || !g2) return
        const rowId = el.closest<HTMLElement>('.ag-row')?.getAttribute('row-id')
        const colId = el.getAttribute('col-id')
        if (!rowId || !colId) return
        const d = g2.cell(ctx.sheet.id, rowId, colId)
        if (d.ok || g2.identity.role === 'viewer') {
          if (el.dataset.tzAccess) {
            el.removeAttribute('title')
            delete el.dataset.tzAccess
          }
          return
        }
        el.title = refusalTitle(d, ctx.cells.locale)
        el.dataset.tzAccess = d.reason
      })
      return undefined
    },
  }
}

/** A sheet of `wb` whose writes go through its access gate (find/replace writes outside the grid). */
export function guardedSheetOf(wb: Workbook, sheetId: string): Sheet {
  return guardSheet(wb.sheet(sheetId), () => accessGateOf(wb))
}

/**
 * The one choke point of the grid's writes (edit, paste, fill, clear, cut, row commands, the
 * checkbox): a view of `sheet` whose writes skip what the gate refuses. Cells are skipped one by
 * one (a paste over mixed rows writes the allowed ones); a row move is all or nothing.
 */
export function guardSheet(sheet: Sheet, gate: () => AccessGate | undefined): Sheet {
  const refused = (g: AccessGate, n: number, d: Refusal | undefined) => {
    if (n > 0 && d) g.reportRefused(n, d)
  }
  const guarded: Partial<Sheet> = {
    setCells(edits: readonly CellEdit[]) {
      const g = gate()
      if (!g) return sheet.setCells(edits)
      const ok: CellEdit[] = []
      let first: Refusal | undefined
      let n = 0
      for (const e of edits) {
        const d = g.check({
          kind: 'cell',
          sheetId: sheet.id,
          rowId: e.row,
          colId: e.col,
          value: e.value,
        })
        if (d.ok) ok.push(e)
        else {
          n++
          first ??= d
        }
      }
      sheet.setCells(ok)
      refused(g, n, first)
    },
    setCell(rowId: string, colId: string, value: CellValue) {
      guarded.setCells!([{ row: rowId, col: colId, value }])
    },
    clearCell(rowId: string, colId: string) {
      guarded.setCells!([{ row: rowId, col: colId, value: null }])
    },
    insertRows(rows: readonly Record<string, CellValue>[], at?: RowPosition) {
      const g = gate()
      if (!g) return sheet.insertRows(rows, at)
      // The new rows' ids are not known before the insert; a condition reads only their values.
      // A station clerk's new rows start with its station (else no station, and no right).
      const start = g.newRowValues(sheet.id)
      const filled = rows.map((values) => ({ ...start, ...values }))
      const d = filled
        .map((values) => g.check({ kind: 'row-insert', sheetId: sheet.id, rowId: '', values }))
        .find((x): x is Refusal => !x.ok)
      if (d) {
        refused(g, rows.length, d)
        return []
      }
      return sheet.insertRows(filled, at)
    },
    insertEmptyRows(n: number, at?: RowPosition) {
      return guarded.insertRows!(
        Array.from({ length: n }, () => ({})),
        at,
      )
    },
    deleteRows(rowIds: readonly string[]) {
      const g = gate()
      if (!g) return sheet.deleteRows(rowIds)
      const ok: string[] = []
      let first: Refusal | undefined
      for (const rowId of rowIds) {
        const d = g.check({ kind: 'row-delete', sheetId: sheet.id, rowId })
        if (d.ok) ok.push(rowId)
        else first ??= d
      }
      if (ok.length) sheet.deleteRows(ok)
      refused(g, rowIds.length - ok.length, first)
    },
    moveRows(rowIds: readonly string[], at: RowPosition) {
      const g = gate()
      if (!g) return sheet.moveRows(rowIds, at)
      for (const rowId of rowIds) {
        const d = g.check({ kind: 'row-move', sheetId: sheet.id, rowId })
        if (!d.ok) return refused(g, rowIds.length, d)
      }
      sheet.moveRows(rowIds, at)
    },
  }
  return new Proxy(sheet, {
    get(target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(guarded, prop))
        return guarded[prop as keyof Sheet]
      const v = Reflect.get(target, prop, target)
      // Other methods run on the sheet itself (its private fields are not on the proxy's path).
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}
