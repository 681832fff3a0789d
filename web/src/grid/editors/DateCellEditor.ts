import { parseDateInput } from '@taizhang/shared'
import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community'
import { t } from '../../i18n'
import type { EditorResult } from '../editors'
import type { GridContext } from '../gridContext'
import type { RowData } from '../rowData'
import { addDays, addMonths, isoOf, monthPage } from './calendar'
import { typedText } from './typedText'

/**
 * Date cells: our own editor, not the browser's `<input type=date>` (its field order follows the
 * browser, and typing "2021/3/15" into it stored 1315-02-02). One text field in the cell's
 * format (yyyy-mm-dd) that takes 2024-5-6, 2024/5/6, 2024.5.6, 2024年5月6日, 20240506 and
 * Excel serials (`parseDateInput`). Enter or Tab with a date that is not one (a year outside
 * 1900–2100, 2 月 30 日) keeps the editor open and says why; leaving the cell then writes nothing.
 *
 * Under the field, a small calendar (weeks from Monday, the month named by `Intl` in the UI's
 * language): a click on a day writes it; with the focus staying in the field, ↑/↓ step a day,
 * PageUp/PageDown a month (with Shift a year), and the field shows the date as it moves.
 */
export class DateCellEditor implements ICellEditorComp<RowData> {
  private root!: HTMLElement
  private input!: HTMLInputElement
  private message!: HTMLElement
  private ctx!: GridContext
  private params!: ICellEditorParams<RowData>
  private calendar!: HTMLElement
  /** The day the calendar points at (its month is the one shown). */
  private cursor = isoOf(Date.now())
  private startedByTyping = false

  init(params: ICellEditorParams<RowData>): void {
    this.ctx = params.context as GridContext
    this.params = params
    const colId = params.column.getColId()
    const value = params.data?.cells[colId] ?? null
    const typed = typedText(params.eventKey)
    this.startedByTyping = typed !== null
    const root = document.createElement('div')
    root.className = 'tz-date-editor'
    const input = document.createElement('input')
    input.type = 'text'
    input.className = 'tz-editor'
    input.inputMode = 'numeric'
    input.placeholder = 'yyyy-mm-dd'
    input.autocomplete = 'off'
    input.value = typed ?? (typeof value === 'string' ? value : '')
    const message = document.createElement('div')
    message.className = 'tz-date-error'
    message.setAttribute('role', 'alert')
    message.hidden = true
    input.addEventListener('input', () => {
      message.hidden = true
      this.follow()
    })
    input.addEventListener('keydown', (e) => {
      const step = stepOf(e)
      if (step) {
        // The calendar's keys: the grid must not move or close the editor on them.
        e.preventDefault()
        e.stopPropagation()
        this.moveTo(step(this.cursor))
        return
      }
      if (e.key !== 'Enter' && e.key !== 'Tab') return
      const r = this.parsed()
      if (r.ok) return
      // Not a date: stay in the editor and say why (AG Grid never sees the key).
      e.preventDefault()
      e.stopPropagation()
      this.show(r.message)
    })
    const calendar = document.createElement('div')
    calendar.className = 'tz-cal'
    // Clicks in the calendar keep the focus in the field (and the editor open).
    calendar.addEventListener('mousedown', (e) => e.preventDefault())
    root.append(input, message, calendar)
    this.root = root
    this.input = input
    this.message = message
    this.calendar = calendar
    this.follow()
  }

  /** Points the calendar at the date typed in the field, if it is one. */
  private follow(): void {
    const r = this.parsed()
    if (r.ok && r.value) this.cursor = r.value
    this.paintCalendar()
  }

  /** Moves the calendar to `iso` and writes it into the field. */
  private moveTo(iso: string): void {
    this.cursor = iso
    this.input.value = iso
    this.message.hidden = true
    this.input.removeAttribute('aria-invalid')
    this.paintCalendar()
  }

  private paintCalendar(): void {
    const lang = this.ctx.locale === 'en' ? 'en-US' : 'zh-CN'
    const [y, m] = this.cursor.split('-').map(Number) as [number, number]
    const head = document.createElement('div')
    head.className = 'tz-cal-head'
    const nav = (label: string, months: number, glyph: string) => {
      const b = document.createElement('button')
      b.type = 'button'
      b.tabIndex = -1
      b.className = 'tz-cal-nav'
      b.textContent = glyph
      b.title = label
      b.setAttribute('aria-label', label)
      b.addEventListener('click', () => {
        this.cursor = addMonths(this.cursor, months)
        this.paintCalendar()
      })
      return b
    }
    const title = document.createElement('span')
    title.className = 'tz-cal-title'
    title.textContent = new Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    }).format(Date.UTC(y, m - 1, 1))
    const today = document.createElement('button')
    today.type = 'button'
    today.tabIndex = -1
    today.className = 'tz-cal-today'
    today.textContent = t('cal.today')
    today.addEventListener('click', () => this.moveTo(isoOf(Date.now())))
    head.append(nav(t('cal.prev'), -1, '‹'), title, nav(t('cal.next'), 1, '›'), today)

    const grid = document.createElement('div')
    grid.className = 'tz-cal-grid'
    grid.setAttribute('role', 'grid')
    const weekday = new Intl.DateTimeFormat(lang, { weekday: 'narrow', timeZone: 'UTC' })
    for (let i = 0; i < 7; i++) {
      const w = document.createElement('span')
      w.className = 'tz-cal-wd'
      // 2024-01-01 was a Monday.
      w.textContent = weekday.format(Date.UTC(2024, 0, 1 + i))
      grid.append(w)
    }
    const todayIso = isoOf(Date.now())
    const chosen = this.parsed()
    for (const d of monthPage(this.cursor)) {
      const b = document.createElement('button')
      b.type = 'button'
      b.tabIndex = -1
      b.className = 'tz-cal-day'
      b.textContent = String(d.day)
      b.dataset.date = d.iso
      if (!d.inMonth) b.classList.add('out')
      if (d.iso === todayIso) b.classList.add('today')
      if (d.iso === this.cursor) b.classList.add('cursor')
      if (chosen.ok && chosen.value === d.iso) b.setAttribute('aria-selected', 'true')
      b.addEventListener('click', () => {
        this.moveTo(d.iso)
        this.params.stopEditing()
      })
      grid.append(b)
    }
    const hint = document.createElement('div')
    hint.className = 'tz-cal-hint'
    hint.textContent = t('cal.hint')
    this.calendar.replaceChildren(head, grid, hint)
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

/** The calendar step a key asks for (↑/↓ a day, PageUp/PageDown a month, with Shift a year). */
function stepOf(e: KeyboardEvent): ((iso: string) => string) | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  switch (e.key) {
    case 'ArrowUp':
      return e.shiftKey ? null : (iso) => addDays(iso, -1)
    case 'ArrowDown':
      return e.shiftKey ? null : (iso) => addDays(iso, 1)
    case 'PageUp':
      return (iso) => addMonths(iso, e.shiftKey ? -12 : -1)
    case 'PageDown':
      return (iso) => addMonths(iso, e.shiftKey ? 12 : 1)
    default:
      return null
  }
}
