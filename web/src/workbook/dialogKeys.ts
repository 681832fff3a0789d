import { onCleanup } from 'solid-js'

/**
 * The keyboard of a modal dialog, as users expect it from Excel and WPS: when it opens, the
 * focus moves into it (so typing no longer reaches the grid behind it), Escape closes it, and
 * on closing the focus goes back to the grid's cell (see `returnFocus`). Dialogs opened from
 * dialogs stack: Escape closes the newest only.
 *
 * Call it in the dialog component's body and pass the result as the `ref` of the element that
 * holds the dialog; an element inside marked `autofocus` gets the focus, else the dialog itself.
 */
const stack: Array<() => void> = []

function onKeyDown(e: KeyboardEvent): void {
  if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return
  const close = stack[stack.length - 1]
  if (!close) return
  e.preventDefault()
  e.stopPropagation()
  close()
}

/**
 * Where the focus goes when a dialog closes: back into a dialog or field it came from; otherwise
 * to the grid's focused cell (AG Grid keeps `ag-cell-focus` on it while the focus is elsewhere),
 * as a spreadsheet does after a dialog opened from its toolbar or 更多 menu; else where it was.
 */
function returnFocus(before: HTMLElement | null): void {
  const back = before?.isConnected ? before : null
  if (back?.closest('.modal, input, textarea, select, [contenteditable="true"]')) {
    back.focus({ preventScroll: true })
    return
  }
  const cell = document.querySelector<HTMLElement>('.ag-cell-focus')
  ;(cell ?? back)?.focus({ preventScroll: true })
}

export function dialogKeys(onClose: () => void): (el: HTMLElement) => void {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  const entry = () => onClose()
  stack.push(entry)
  if (stack.length === 1) document.addEventListener('keydown', onKeyDown, true)
  onCleanup(() => {
    const i = stack.lastIndexOf(entry)
    if (i >= 0) stack.splice(i, 1)
    if (stack.length === 0) document.removeEventListener('keydown', onKeyDown, true)
    returnFocus(before)
  })
  return (el) => {
    if (!el.hasAttribute('tabindex')) el.tabIndex = -1
    queueMicrotask(() => {
      if (el.contains(document.activeElement)) return
      const wanted = el.querySelector<HTMLElement>('[autofocus]')
      ;(wanted ?? el).focus({ preventScroll: true })
    })
  }
}
