import { parseDateInput } from '@taizhang/shared'
import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community'
import type { EditorResult } from '../editors'
import type { GridContext } from '../gridContext'
import type { RowData } from '../rowData'

/**
 * Date cells: our own editor, not the browser's `<input type=date>` (its field order follows the
 * browser, and typing "2021/3/15" into it stored 1315-02-02). One text field in the cell's
 * format (yyyy-mm-dd) that takes 2024-5-6, 2024/5/6, 2024.5.6, 2024年5月6日, 20240506 and
 * Excel serials (`parseDateInput`). Enter or Tab with a date that is not one (a year outside
 * 1900–2100, 2 月 30 日) keeps the editor open and says why; leaving the cell then writes nothing.
 */
export class DateCellEditor implements ICellEditorComp<RowData> {
  private root!: HTMLElement
  private input!: HTMLInputElement
  private message!: HTMLElement
  private ctx!: GridContext
  private startedByTyping = false

  init(params: ICellEditorParams<RowData>): void {
    this.ctx = params.context as GridContext
    const colId = params.column.getColId()
    const value = params.data?.cells[colId] ?? null
    this.startedByTyping = !!params.eventKey && params.eventKey.length === 1
    const root = document.createElement('div')
    root.className = 'tz-date-editor'
    const input = document.createElement('input')
    input.type = 'text'
    input.className = 'tz-editor'
    input.inputMode = 'numeric'
    input.placeholder = 'yyyy-mm-dd'
    input.autocomplete = 'off'
    input.value = this.startedByTyping ? params.eventKey! : typeof value === 'string' ? value : ''
    const message = document.createElement('div')
    message.className = 'tz-date-error'
    message.setAttribute('role', 'alert')
    message.hidden = true
    input.addEventListener('input', () => {
      message.hidden = true
    })
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== 'Tab') return
      const r = this.parsed()
      if (r.ok) return
      // Not a date: stay in the editor and say why (AG Grid never sees the key).
      e.preventDefault()
      e.stopPropagation()
      this.show(r.message)
    })
    root.append(input, message)
    this.root = root
    this.input = input
    this.message = message
  }

  private parsed(): { ok: true; value: string | null } | { ok: false; message: string } {
    const text = this.input.value.trim()
    if (!text) return { ok: true, value: null }
    const r = parseDateInput(text)
    if (r.ok) return { ok: true, value: r.value as string }
    return {
      ok: false,
      message: this.ctx.locale === 'en' ? r.error.message.en : r.error.message.zh,
    }
  }

  private show(text: string): void {
    this.message.textContent = text
    this.message.hidden = false
    this.input.setAttribute('aria-invalid', 'true')
  }

  getGui(): HTMLElement {
    return this.root
  }

  afterGuiAttached(): void {
    this.input.focus()
    const n = this.input.value.length
    if (this.startedByTyping) this.input.setSelectionRange(n, n)
    else this.input.select()
  }

  /** A date that is not one writes nothing (the editor closed by a click elsewhere). */
  isCancelAfterEnd(): boolean {
    return !this.parsed().ok
  }

  getValue(): EditorResult {
    const r = this.parsed()
    return r.ok ? { kind: 'value', value: r.value } : { kind: 'text', text: this.input.value }
  }
}
