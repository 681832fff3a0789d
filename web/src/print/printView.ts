import { type Column, formatValue, type Workbook } from '@taizhang/shared'
import { planColumnPages } from './columnPages'
import { cssString, pageCounterContent, pt } from './text'

/**
 * The print view of a sheet (issue #15 §5): a plain table built for paper instead of the grid —
 * A4 landscape, the sheet's title and the date on top of every page, the header row repeated on
 * every page (a `<thead>`), page numbers at the bottom (CSS page-margin boxes), the columns fitted
 * or split across pages in order (`planColumnPages`), the rows in the grid's filter and sort, and
 * nothing of the app (toolbar, buttons, panels) printed. `makePrintView` mounts it and returns the
 * cleanup; the browser's print dialog ("save as PDF" included) prints it.
 */
export interface PrintOptions {
  /** Row ids in the order shown (the grid's filter and sort); default every row. */
  rowIds?: readonly string[] | null
  /** The date printed on top, already formatted (`2026-12-06`). */
  date: string
  locale: 'zh-CN' | 'en'
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  )

function columnLabel(
  wb: Workbook,
  col: Column,
): ((rowId: string) => string | undefined) | undefined {
  if (col.type !== 'reference' || !col.format.refSheet || !col.format.refColumn) return undefined
  if (!wb.hasSheet(col.format.refSheet)) return undefined
  const ref = wb.sheet(col.format.refSheet)
  const refCol = col.format.refColumn
  return (rowId) => {
    const v = ref.getCell(rowId, refCol)
    return v === null ? undefined : String(v)
  }
}

/** The print view's HTML and its stylesheet (pure strings: tests look at them without a page). */
export function renderPrintView(
  wb: Workbook,
  sheetId: string,
  opts: PrintOptions,
): { html: string; css: string; pages: number[][] } {
  const sheet = wb.sheet(sheetId)
  const cols = sheet.columns()
  const plan = planColumnPages(cols.map((c) => c.width))
  const labels = cols.map((c) => columnLabel(wb, c))
  const title = [wb.meta().title, sheet.name].filter(Boolean).join(' · ')
  const ids = opts.rowIds ?? sheet.rowIds()
  // Each cell formatted once, whatever the number of column groups.
  const rows: string[][] = []
  for (const id of ids) {
    const cells = sheet.getRow(id)?.cells
    if (!cells) continue
    rows.push(
      cols.map((c, i) => {
        const v = cells[c.id] ?? null
        const l = labels[i]
        return escapeHtml(
          formatValue(v, c, { locale: opts.locale, ...(l ? { referenceLabel: l } : {}) }),
        )
      }),
    )
  }
  const numeric = cols.map((c) =>
    ['number', 'integer', 'percent', 'money'].includes(c.type) ? ' class="num"' : '',
  )
  let html = `<header class="print-head"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(
    pt('printedOn', { date: opts.date }),
  )} · ${escapeHtml(pt('rowCount', { n: rows.length }))}</p></header>`
  plan.groups.forEach((group, k) => {
    const width = group.reduce((n, i) => n + cols[i]!.width, 0) * plan.scale
    if (plan.groups.length > 1) {
      const from = cols[group[k === 0 ? 0 : 1] ?? 0]!.name
      const to = cols[group[group.length - 1]!]!.name
      html += `<h2 class="print-part"${k > 0 ? ' style="break-before: page"' : ''}>${escapeHtml(
        pt('part', { k: k + 1, n: plan.groups.length, from, to }),
      )}</h2>`
    }
    html += `<table class="print-table" style="width:${Math.round(width)}px"><colgroup>`
    for (const i of group)
      html += `<col style="width:${Math.round(cols[i]!.width * plan.scale)}px">`
    html += '</colgroup><thead><tr>'
    for (const i of group) html += `<th>${escapeHtml(cols[i]!.name)}</th>`
    html += '</tr></thead><tbody>'
    for (const r of rows) {
      html += '<tr>'
      for (const i of group) html += `<td${numeric[i]}>${r[i]}</td>`
      html += '</tr>'
    }
    html += '</tbody></table>'
  })
  const fontPx = Math.max(9, Math.round(13 * plan.scale))
  const css = `
@media screen { .print-root { display: none; } }
@media print {
  body.tz-printing > *:not(.print-root) { display: none !important; }
  body.tz-printing { margin: 0; background: #fff; }
  /* Other print styles may hide \`body *\` (the report page's): this view is what prints. */
  body.tz-printing .print-root, body.tz-printing .print-root * { visibility: visible !important; }
}
@page {
  size: A4 landscape;
  margin: 14mm 10mm 12mm 10mm;
  @top-left { content: ${cssString(title)}; font-size: 9pt; color: #444; }
  @top-right { content: ${cssString(pt('printedOn', { date: opts.date }))}; font-size: 9pt; color: #444; }
  @bottom-center { content: ${pageCounterContent()}; font-size: 9pt; color: #444; }
}
.print-root { color: #000; font-size: ${fontPx}px; }
.print-head h1 { font-size: 16pt; margin: 0 0 2mm; }
.print-head p { margin: 0 0 3mm; color: #333; }
.print-part { font-size: 11pt; margin: 2mm 0; }
.print-table { border-collapse: collapse; table-layout: fixed; }
.print-table thead { display: table-header-group; }
.print-table th { background: #eef2f7; font-weight: 600; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.print-table th, .print-table td { border: 0.5pt solid #888; padding: 1mm 1.5mm; overflow: hidden; overflow-wrap: anywhere; text-align: left; vertical-align: top; }
.print-table td.num { text-align: right; }
.print-table tr { break-inside: avoid; }
`
  return { html, css, pages: plan.groups }
}

/** Mounts the print view (hidden on screen) and returns what removes it. */
export function makePrintView(wb: Workbook, sheetId: string, opts: PrintOptions): () => void {
  const { html, css } = renderPrintView(wb, sheetId, opts)
  const style = document.createElement('style')
  style.dataset.print = 'taizhang'
  style.textContent = css
  const root = document.createElement('div')
  root.className = 'print-root'
  root.dataset.testid = 'print-root'
  root.innerHTML = html
  document.head.appendChild(style)
  document.body.appendChild(root)
  document.body.classList.add('tz-printing')
  return () => {
    document.body.classList.remove('tz-printing')
    root.remove()
    style.remove()
  }
}
