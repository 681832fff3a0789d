import { type Column, isNumericType } from '@taizhang/shared'
import type { CellClassParams, ColDef, ValueGetterParams } from 'ag-grid-community'
import { cellKey } from './cellKey'
import { PickerCellEditor, TextCellEditor } from './editors'
import { DateCellEditor } from './editors/DateCellEditor'
import { PeriodFilter } from './features/periodFilter'
import type { GridContext } from './gridContext'
import { displayText, TypedCellRenderer } from './renderers'
import type { RowData } from './rowData'

export const ROW_NUMBER_COL = '__rownum'

// Class rules, not `cellClass`: AG Grid re-evaluates rules on every refresh, even when the value
// did not change, which is what selection and problem outlines need.
const cellClassRules = {
  'tz-invalid': (p: CellClassParams<RowData>) => {
    const ctx = p.context as GridContext
    // Evaluated for every rendered cell on every refresh: no key built while there are no problems.
    return (
      ctx.problems.size > 0 && !!p.data && ctx.problems.has(cellKey(p.data.id, p.column.getColId()))
    )
  },
  'tz-warning': (p: CellClassParams<RowData>) => {
    const ctx = p.context as GridContext
    if (ctx.warnings.size === 0 || !p.data) return false
    const key = cellKey(p.data.id, p.column.getColId())
    return ctx.warnings.has(key) && !ctx.problems.has(key)
  },
  'tz-in-range': (p: CellClassParams<RowData>) => {
    const sel = (p.context as GridContext).sel
    if (!sel || p.rowIndex < sel.r0 || p.rowIndex > sel.r1) return false
    const ci = (p.context as GridContext).colIndex.get(p.column.getColId())
    return ci !== undefined && ci >= sel.c0 && ci <= sel.c1
  },
}

/** AG Grid column definitions for a sheet's columns: row numbers, then data (first one pinned). */
export function buildColumnDefs(columns: readonly Column[], readOnly: boolean): ColDef<RowData>[] {
  const defs: ColDef<RowData>[] = [
    {
      colId: ROW_NUMBER_COL,
      headerName: '#',
      pinned: 'left',
      lockPinned: true,
      width: 64,
      editable: false,
      sortable: false,
      resizable: false,
      suppressMovable: true,
      suppressNavigable: false,
      cellClass: 'tz-rownum',
      cellClassRules,
      valueGetter: (p: ValueGetterParams<RowData>) => (p.node?.rowIndex ?? 0) + 1,
    },
  ]
  columns.forEach((col, i) => {
    const numeric = isNumericType(col.type)
    const picker = col.type === 'enum' || col.type === 'reference'
    defs.push({
      colId: col.id,
      headerName: col.name,
      headerTooltip: col.name,
      // grid-ui (issue 12): a long name wraps onto a second line instead of being cut (the
      // header row grows to the tallest); double-clicking the resize border fits the column.
      wrapHeaderText: true,
      autoHeaderHeight: true,
      pinned: i === 0 ? 'left' : undefined,
      width: col.width,
      editable: !readOnly && col.type !== 'boolean',
      valueGetter: (p) => p.data?.cells[col.id] ?? null,
      cellRenderer: TypedCellRenderer,
      cellEditor: picker ? PickerCellEditor : col.type === 'date' ? DateCellEditor : TextCellEditor,
      // The date editor's message shows under the cell: a popup is not clipped by it.
      cellEditorPopup: picker || col.type === 'date',
      cellClass: numeric ? 'tz-num' : undefined,
      cellClassRules,
      headerClass: numeric ? 'tz-header-num' : undefined,
      // issue 14 (ledger2): 期间 columns filter by 本月/上月/本季度/今年/自定义
      filter:
        col.type === 'period'
          ? PeriodFilter
          : numeric
            ? 'agNumberColumnFilter'
            : 'agTextColumnFilter',
      filterValueGetter: numeric
        ? undefined
        : (p) => {
            const ctx = p.context as GridContext
            return displayText(ctx, col, p.data?.cells[col.id] ?? null)
          },
      comparator: (a, b) => compareCells(a, b),
    })
  })
  return defs
}

/** Sorts empties last, numbers numerically, text by the zh collation (pinyin order). */
const collator = new Intl.Collator('zh-CN', { numeric: true })
export function compareCells(a: unknown, b: unknown): number {
  const ea = a === null || a === undefined || a === ''
  const eb = b === null || b === undefined || b === ''
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  return collator.compare(String(a), String(b))
}
