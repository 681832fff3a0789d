import { type CellValue, type Column, formatValue } from '@taizhang/shared'
import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community'
import { cellKey } from './cellKey'
import type { GridContext } from './gridContext'
import type { RowData } from './rowData'

/** Readable text colour on a tag background. */
function tagTextColor(bg: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(bg)
  if (!m) return '#1f2937'
  const n = Number.parseInt(m[1]!, 16)
  const lum = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)
  return lum > 150 ? '#1f2937' : '#ffffff'
}

/** Default tag colours for options without one: soft, distinct. */
const TAG_COLORS = [
  '#dbeafe',
  '#fef3c7',
  '#dcfce7',
  '#fce7f3',
  '#ede9fe',
  '#ffedd5',
  '#cffafe',
  '#f3f4f6',
]

export function enumColor(col: Column, value: string): string {
  const opts = col.constraints.options ?? []
  const i = opts.findIndex((o) => o.value === value)
  if (i < 0) return '#f3f4f6'
  return opts[i]!.color ?? TAG_COLORS[i % TAG_COLORS.length]!
}

export function displayText(ctx: GridContext, col: Column, value: CellValue): string {
  return formatValue(value, col, {
    locale: ctx.locale,
    referenceLabel: (id) => ctx.referenceLabel(col, id),
  })
}

/**
 * One renderer class for every typed cell: plain DOM (no Solid tree per cell), so 100,000 rows
 * virtualise cheaply. Shows the value, the unacknowledged marker and collaborators' outlines.
 */
export class TypedCellRenderer implements ICellRendererComp<RowData> {
  private el!: HTMLElement

  init(params: ICellRendererParams<RowData>): void {
    this.el = document.createElement('div')
    this.el.className = 'tz-cell'
    this.render(params)
  }

  getGui(): HTMLElement {
    return this.el
  }

  refresh(params: ICellRendererParams<RowData>): boolean {
    this.render(params)
    return true
  }

  private render(params: ICellRendererParams<RowData>): void {
    const ctx = params.context as GridContext
    const colId = params.column?.getColId() ?? ''
    const col = ctx.columns.get(colId)
    const row = params.data
    const el = this.el
    el.replaceChildren()
    if (!col || !row) return
    const value = (row.cells[colId] ?? null) as CellValue
    if (col.type === 'boolean') {
      const box = document.createElement('input')
      box.type = 'checkbox'
      box.className = 'tz-check'
      box.checked = value === true
      box.indeterminate = value !== null && typeof value !== 'boolean'
      box.disabled = ctx.readOnly
      box.tabIndex = -1
      box.addEventListener('click', (e) => {
        e.stopPropagation()
        ctx.writeCell(row.id, colId, value !== true)
      })
      el.append(box)
    } else if (col.type === 'enum' && typeof value === 'string' && value !== '') {
      const tag = document.createElement('span')
      tag.className = 'tz-tag'
      const bg = enumColor(col, value)
      tag.style.background = bg
      tag.style.color = tagTextColor(bg)
      tag.textContent = value
      el.append(tag)
    } else {
      const span = document.createElement('span')
      span.className = 'tz-text'
      span.textContent = displayText(ctx, col, value)
      el.append(span)
    }
    const key = cellKey(row.id, colId)
    const problem = ctx.problems.get(key)
    const warning = ctx.warnings.get(key)
    el.title = problem && warning ? `${problem}\n${warning}` : (problem ?? warning ?? '')
    if (ctx.unacked.has(ctx.sheetId, row.id, colId)) {
      const dot = document.createElement('span')
      dot.className = 'tz-unacked'
      dot.title = ctx.unackedTitle
      el.append(dot)
    }
    // issue 13: this cell won a concurrent write; the tooltip names the other values.
    const conflict = ctx.conflicts.get(key)
    if (conflict !== undefined) {
      const mark = document.createElement('span')
      mark.className = 'tz-conflict'
      mark.title = conflict.title()
      // A marker kept across changes is not redrawn: its tooltip is renewed when pointed at.
      mark.addEventListener('pointerenter', () => {
        mark.title = ctx.conflicts.get(key)?.title() ?? mark.title
      })
      mark.dataset.testid = 'conflict-marker'
      el.append(mark)
    }
    const peers = ctx.peers.get(key)
    // The outline goes on the grid cell itself so the cell's padding and clipping don't cut it.
    params.eGridCell.style.boxShadow = peers?.length ? `inset 0 0 0 2px ${peers[0]!.color}` : ''
    if (peers?.length) {
      const p = peers[0]!
      const box = document.createElement('span')
      box.className = 'tz-peer'
      box.style.borderColor = p.color
      // Names are text, never HTML: textContent and title only.
      box.title = peers.map((x) => x.name).join(', ')
      box.dataset.peer = p.name
      const label = document.createElement('span')
      label.className = 'tz-peer-label'
      label.style.background = p.color
      label.textContent = p.name
      box.append(label)
      el.append(box)
    }
  }
}
