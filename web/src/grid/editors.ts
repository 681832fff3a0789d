import { type CellValue, type Column, formatValue } from '@taizhang/shared'
import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community'
import { typedText } from './editors/typedText'
import type { GridContext } from './gridContext'
import { enumColor } from './renderers'
import type { RowData } from './rowData'

/**
 * What an editor hands back: typed text to parse with the column's rules, or a value already
 * typed (a picked option). The edit handler turns it into one model write.
 */
export type EditorResult = { kind: 'text'; text: string } | { kind: 'value'; value: CellValue }

export function isEditorResult(x: unknown): x is EditorResult {
  return typeof x === 'object' && x !== null && 'kind' in x
}

function contextOf(params: ICellEditorParams<RowData>): {
  ctx: GridContext
  col: Column | undefined
  value: CellValue
} {
  const ctx = params.context as GridContext
  const colId = params.column.getColId()
  const col = ctx.columns.get(colId)
  const value = (params.data?.cells[colId] ?? null) as CellValue
  return { ctx, col, value }
}

/** Text, numbers, percent, money: an input whose text is parsed on commit (dates: DateCellEditor). */
export class TextCellEditor implements ICellEditorComp<RowData> {
  private input!: HTMLInputElement | HTMLTextAreaElement
  private startedByTyping = false

  init(params: ICellEditorParams<RowData>): void {
    const { col, value } = contextOf(params)
    const typed = typedText(params.eventKey)
    this.startedByTyping = typed !== null
    const input = document.createElement('input')
    input.className = 'tz-editor'
    input.type = 'text'
    if (col && col.type !== 'text' && col.type !== 'enum' && col.type !== 'reference') {
      input.inputMode = col.type === 'date' ? 'text' : 'decimal'
    }
    if (
      col &&
      (col.type === 'number' ||
        col.type === 'integer' ||
        col.type === 'money' ||
        col.type === 'percent')
    ) {
      input.style.textAlign = 'right'
    }
    input.value =
      typed !== null
        ? typed
        : col
          ? formatValue(value, col, { forEdit: true })
          : String(value ?? '')
    this.input = input
  }

  getGui(): HTMLElement {
    return this.input
  }

  afterGuiAttached(): void {
    this.input.focus()
    if (this.startedByTyping) {
      const n = this.input.value.length
      if (this.input instanceof HTMLInputElement && this.input.type === 'text')
        this.input.setSelectionRange(n, n)
    } else if (this.input instanceof HTMLInputElement && this.input.type === 'text') {
      this.input.select()
    }
  }

  getValue(): EditorResult {
    return { kind: 'text', text: this.input.value }
  }
}

interface PickerOption {
  value: CellValue
  label: string
  color?: string
}

const MAX_PICKER_ROWS = 200

/** Enum and reference cells: a popup with a search box and a keyboard-driven list. */
export class PickerCellEditor implements ICellEditorComp<RowData> {
  private root!: HTMLElement
  private search!: HTMLInputElement
  private list!: HTMLElement
  private options: PickerOption[] = []
  private shown: PickerOption[] = []
  private active = 0
  private result: EditorResult | null = null
  private params!: ICellEditorParams<RowData>

  init(params: ICellEditorParams<RowData>): void {
    this.params = params
    const { ctx, col, value } = contextOf(params)
    const none: PickerOption = { value: null, label: ctx.t('editor.none') }
    if (col?.type === 'enum') {
      this.options = [
        none,
        ...(col.constraints.options ?? []).map((o) => ({
          value: o.value,
          label: o.value,
          color: enumColor(col, o.value),
        })),
      ]
    } else if (col?.type === 'reference') {
      this.options = [
        none,
        ...ctx.referenceOptions(col).map(([id, label]) => ({ value: id, label })),
      ]
    } else {
      this.options = [none]
    }
    const root = document.createElement('div')
    root.className = 'tz-picker'
    const search = document.createElement('input')
    search.type = 'text'
    search.className = 'tz-picker-search'
    search.placeholder = ctx.t('editor.search')
    search.value = typedText(params.eventKey) ?? ''
    const list = document.createElement('div')
    list.className = 'tz-picker-list'
    list.setAttribute('role', 'listbox')
    root.append(search, list)
    this.root = root
    this.search = search
    this.list = list
    search.addEventListener('input', () => this.filter())
    root.addEventListener('keydown', (e) => this.onKey(e))
    this.filter()
    const current = this.shown.findIndex((o) => o.value === value)
    if (current >= 0 && !search.value) this.active = current
    this.paint()
  }

  private filter(): void {
    const q = this.search.value.trim().toLowerCase()
    const ctx = this.params.context as GridContext
    this.shown = (
      q
        ? this.options.filter((o) => o.value !== null && o.label.toLowerCase().includes(q))
        : this.options
    ).slice(0, MAX_PICKER_ROWS)
    this.active = 0
    if (!this.shown.length) {
      this.list.replaceChildren()
      const empty = document.createElement('div')
      empty.className = 'tz-picker-empty'
      empty.textContent = ctx.t('editor.noMatch')
      this.list.append(empty)
      return
    }
    this.paint()
  }

  private paint(): void {
    if (!this.shown.length) return
    this.list.replaceChildren(
      ...this.shown.map((o, i) => {
        const item = document.createElement('div')
        item.className = 'tz-picker-item' + (i === this.active ? ' active' : '')
        item.setAttribute('role', 'option')
        const label = document.createElement('span')
        label.textContent = o.label
        if (o.color) {
          label.className = 'tz-tag'
          label.style.background = o.color
        }
        if (o.value === null) item.classList.add('none')
        item.append(label)
        item.addEventListener('mousedown', (e) => {
          e.preventDefault()
          this.pick(o)
        })
        return item
      }),
    )
    this.list.children[this.active]?.scrollIntoView({ block: 'nearest' })
  }

  private pick(o: PickerOption): void {
    this.result = { kind: 'value', value: o.value }
    this.params.stopEditing()
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      e.stopPropagation()
      const n = this.shown.length
      if (!n) return
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n
      this.paint()
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault()
      e.stopPropagation()
      const o = this.shown[this.active]
      if (o) this.pick(o)
      else this.params.stopEditing(true)
    } else if (e.key === 'Escape') {
      e.stopPropagation()
      this.params.stopEditing(true)
    }
  }

  getGui(): HTMLElement {
    return this.root
  }

  afterGuiAttached(): void {
    this.search.focus()
    // Typed over the cell: the caret after the typed key, so the next keys follow it.
    const n = this.search.value.length
    this.search.setSelectionRange(n, n)
  }

  isPopup(): boolean {
    return true
  }

  isCancelAfterEnd(): boolean {
    return this.result === null
  }

  getValue(): EditorResult | null {
    return this.result
  }
}
