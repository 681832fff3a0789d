import { seedTypedText } from '../editors/typedText'
import type { GridFeature } from './GridFeature'

/** Marks the focused cell that takes IME input (styles.css hides its caret). */
const READY_CLASS = 'tz-ime-ready'

/**
 * Typing Chinese over a selected cell (not editing) through an IME, as in Excel/WPS.
 *
 * AG Grid starts an editor from a printable key's `keydown` and focuses it. An IME does not work
 * that way: Chromium turns the IME off while focus is on an element that is not editable (the
 * focused cell is a plain `div`), so pinyin arrives as Latin keys, and a composition (CDP
 * `Input.imeSetComposition`, an IME's own events) has nowhere to go. Moving focus to an editor
 * in the middle of a composition cancels it.
 *
 * So the focused cell itself is made editable (`contenteditable="plaintext-only"`, invisible
 * caret) while it is focused and no editor is open: the IME composes in the cell, and when it
 * commits, the composed text is taken out of the cell again and the cell's own editor is started
 * with it (seeded through `editors/typedText.ts`; enum and reference pickers get it as their
 * filter). Text inserted without a composition (handwriting, voice, some IMEs) starts the editor
 * the same way. Everything else the browser would do to an editable cell (Enter, Backspace,
 * paste, drop, undo) is cancelled in `beforeinput`: keys and clipboard stay with AG Grid and the
 * command table. Not on touch (an editable element opens the phone's keyboard on every tap).
 *
 * Hand-written: AG Grid Community has no IME handling for cells that are not being edited.
 */
export const ime: GridFeature = {
  name: 'ime',
  install(api, ctx) {
    let ready: HTMLElement | null = null
    let composing = false
    let before: Node[] = []
    let touch = false

    /** Whether the focused cell `el` may be edited (its column's and the grid's rules). */
    const editable = (el: HTMLElement): boolean => {
      if (ctx.readOnly() || touch || api.getEditingCells().length > 0) return false
      const f = api.getFocusedCell()
      if (!f || f.column.getColId() !== el.getAttribute('col-id')) return false
      const node = api.getDisplayedRowAtIndex(f.rowIndex)
      return !!node && f.column.isCellEditable(node)
    }
    const disarm = () => {
      if (!ready) return
      ready.removeAttribute('contenteditable')
      ready.classList.remove(READY_CLASS)
      ready = null
      composing = false
    }
    const arm = (el: HTMLElement) => {
      if (ready === el) return
      disarm()
      if (!editable(el)) return
      el.setAttribute('contenteditable', 'plaintext-only')
      el.spellcheck = false
      el.setAttribute('autocorrect', 'off')
      el.setAttribute('autocapitalize', 'off')
      el.classList.add(READY_CLASS)
      ready = el
      caretToEnd()
    }
    /**
     * The caret at the end of the ready cell: a composition shows where the selection is, and a
     * click would leave it in the middle of the cell's text.
     */
    const caretToEnd = () => {
      if (!ready || composing) return
      const sel = ready.ownerDocument.getSelection()
      if (!sel) return
      const end = document.createRange()
      end.selectNodeContents(ready)
      end.collapse(false)
      if (
        sel.rangeCount === 1 &&
        sel.isCollapsed &&
        sel.getRangeAt(0).compareBoundaryPoints(Range.START_TO_START, end) === 0
      )
        return
      sel.removeAllRanges()
      sel.addRange(end)
    }
    /** Takes whatever the IME wrote back out of the cell and redraws it. */
    const restore = (el: HTMLElement) => {
      for (const n of [...el.childNodes]) if (!before.includes(n)) n.remove()
      before = []
      const f = api.getFocusedCell()
      const node = f ? api.getDisplayedRowAtIndex(f.rowIndex) : undefined
      if (f && node) api.refreshCells({ rowNodes: [node], columns: [f.column], force: true })
    }
    const startWith = (text: string) => {
      const f = api.getFocusedCell()
      if (!f || !text) return
      disarm()
      seedTypedText(text)
      try {
        api.startEditingCell({ rowIndex: f.rowIndex, colKey: f.column, rowPinned: f.rowPinned })
      } finally {
        // Not taken when the editor could not start: the next edit must not inherit it.
        seedTypedText(null)
      }
    }
    const isReady = (e: Event) => ready !== null && e.target === ready

    ctx.host.listen(
      ctx.container,
      'pointerdown',
      (e) => {
        touch = e.pointerType === 'touch' || e.pointerType === 'pen'
        if (touch) disarm()
      },
      { capture: true },
    )
    ctx.host.listen(ctx.container, 'focusin', (e) => {
      const el = e.target as HTMLElement
      if (el.classList?.contains('ag-cell')) arm(el)
      else if (el !== ready) disarm()
    })
    ctx.host.listen(ctx.container, 'mouseup', (e) => {
      if (ready?.contains(e.target as Node)) caretToEnd()
    })
    ctx.host.listen(ctx.container, 'focusout', (e) => {
      if (e.target === ready && !composing) disarm()
    })
    // The focus stays on a cell whose editor closed, or whose row was redrawn: arm it again.
    ctx.host.onGrid(api, 'cellEditingStopped', () => {
      const el = document.activeElement as HTMLElement | null
      if (el?.classList.contains('ag-cell') && ctx.container.contains(el)) arm(el)
    })
    // Keys that belong to a composition (the IME's own Enter, arrows, Backspace) are not grid
    // keys: AG Grid would start an editor, move or clear the cell in the middle of it.
    ctx.host.listen(
      ctx.container,
      'keydown',
      (e) => {
        if (isReady(e) && (composing || e.isComposing || e.keyCode === 229)) e.stopPropagation()
      },
      { capture: true },
    )
    ctx.host.listen(ctx.container, 'compositionstart', (e) => {
      if (!isReady(e)) return
      composing = true
      before = [...ready!.childNodes]
      ready!.classList.add('tz-composing')
    })
    ctx.host.listen(ctx.container, 'compositionend', (e) => {
      if (!isReady(e) || !composing) return
      composing = false
      const el = ready!
      el.classList.remove('tz-composing')
      restore(el)
      startWith(e.data ?? '')
    })
    ctx.host.listen(
      ctx.container,
      'beforeinput',
      (e) => {
        if (!isReady(e) || composing || e.isComposing) return
        if (e.inputType === 'insertCompositionText') return
        // Nothing but a composition is ever written into the cell's DOM.
        e.preventDefault()
        if (e.inputType === 'insertText' && e.data) startWith(e.data)
      },
      { capture: true },
    )
    return disarm
  },
}
