/**
 * Summary drill-down in the grid (issue 14, "ledger2"): the reports ask to open a source sheet
 * filtered to one group (`openDrill`); the sheet's grid then shows only that group's rows through
 * AG Grid's external filter, with a chip above it ("筛选：区县 = 杨浦区 ×") whose × clears it. The
 * drill is the rows of the group when it was clicked (the summary's own row list), so rows edited
 * out of the group stay shown until the chip is cleared.
 */
import { t } from '../../i18n'
import './drillDown.css'
import type { GridFeature } from './GridFeature'

export interface DrillRequest {
  sheetId: string
  /** "区县 = 杨浦区" parts, outermost first. */
  conditions: { label: string; value: string }[]
  rowIds: readonly string[]
}

let current: DrillRequest | null = null
const listeners = new Set<() => void>()

/** Opens (or replaces) the drill filter; the grid of `req.sheetId` applies it now or when it opens. */
export function openDrill(req: DrillRequest): void {
  current = req
  for (const l of listeners) l()
}

export function clearDrill(): void {
  current = null
  for (const l of listeners) l()
}

/** The chip's text without the ×: "区县 = 杨浦区，期间 = 2024年7月". */
export function drillLabel(req: DrillRequest): string {
  return req.conditions.map((c) => `${c.label} = ${c.value}`).join(t('drill.and'))
}

/** Last segment of a group-by expression: `站点.区县` → `区县`. */
export function groupLabel(expr: string): string {
  const parts = expr.split('.')
  return (parts[parts.length - 1] ?? expr).trim()
}

export const drillDown: GridFeature = {
  name: 'drillDown',
  options(ctx) {
    let rows: Set<string> | null = null
    const active = () => (current && current.sheetId === ctx.sheet.id ? current : null)
    const sync = () => {
      const d = active()
      rows = d ? new Set(d.rowIds) : null
    }
    sync()
    listeners.add(sync)
    ctx.host.add(() => listeners.delete(sync))
    return {
      isExternalFilterPresent: () => rows !== null,
      doesExternalFilterPass: (node) => !!rows && !!node.data && rows.has(node.data.id),
    }
  },
  install(api, ctx) {
    const chip = document.createElement('div')
    chip.className = 'tz-drill-chip'
    chip.dataset.testid = 'drill-chip'
    const text = document.createElement('span')
    const close = document.createElement('button')
    close.type = 'button'
    close.textContent = '×'
    close.dataset.testid = 'drill-clear'
    chip.append(text, close)
    close.addEventListener('click', () => clearDrill())
    ctx.container.prepend(chip)
    const render = () => {
      const d = current && current.sheetId === ctx.sheet.id ? current : null
      chip.hidden = !d
      if (d) {
        text.textContent = `${t('drill.filter')}${drillLabel(d)}`
        close.title = t('drill.clear')
        close.setAttribute('aria-label', t('drill.clear'))
      }
      if (!api.isDestroyed()) api.onFilterChanged()
    }
    // After the options' listener (registered first), so the row set is current.
    listeners.add(render)
    ctx.host.add(() => listeners.delete(render))
    render()
    return () => chip.remove()
  },
}
