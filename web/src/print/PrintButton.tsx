import type { ToolbarExtensionProps } from '../app/toolbarExtensions'
import { locale } from '../i18n'
import { makePrintView } from './printView'
import { pt } from './text'

/** Today as YYYY-MM-DD in local time (what the printed page says). */
function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * The toolbar's 打印 button (issue #15 §5): mounts the print view of the sheet on screen, in the
 * grid's filter and sort, opens the browser's print dialog, and removes the view afterwards.
 */
export function PrintButton(props: ToolbarExtensionProps) {
  const print = () => {
    const sheetId = props.sheetId()
    if (!sheetId) return
    const cleanup = makePrintView(props.session.workbook, sheetId, {
      rowIds: props.visibleRowIds?.() ?? null,
      date: today(),
      locale: locale() === 'en' ? 'en' : 'zh-CN',
    })
    window.addEventListener('afterprint', cleanup, { once: true })
    window.print()
  }
  return (
    <button
      type="button"
      class="btn"
      data-testid="print"
      title={pt('printTitle')}
      disabled={!props.sheetId()}
      onClick={print}
    >
      {pt('print')}
    </button>
  )
}
