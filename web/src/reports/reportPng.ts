/**
 * The whole report page (汇报) as one PNG: title, date, key figures and charts where the page shows
 * them. Drawn by hand onto a canvas rather than through a DOM-to-image library: those render the
 * page through an SVG `foreignObject` (blocked as an image source by our CSP, and tainting the
 * canvas in Chromium), while every part here is already either text or an ECharts canvas, which
 * `drawImage` copies at full resolution with its Chinese labels as rendered.
 */

const SCALE = 2
const PAD = 24

interface Head {
  title: string
  date: string
}

/** Draws `page` (the report's root element) and returns a PNG data URL. */
export async function reportPng(page: HTMLElement, head: Head): Promise<string> {
  await document.fonts?.ready
  const itemsEl = page.querySelector<HTMLElement>('.report-items')
  const base = (itemsEl ?? page).getBoundingClientRect()
  const items = [...page.querySelectorAll<HTMLElement>('.report-item')]
  const rects = items.map((el) => {
    const r = el.getBoundingClientRect()
    return { el, x: r.left - base.left, y: r.top - base.top, w: r.width, h: r.height }
  })
  const headH = 72
  const width = Math.ceil(Math.max(base.width, 320)) + PAD * 2
  const height = Math.ceil(rects.reduce((m, r) => Math.max(m, r.y + r.h), 0)) + headH + PAD * 2
  const canvas = document.createElement('canvas')
  canvas.width = width * SCALE
  canvas.height = height * SCALE
  const g = canvas.getContext('2d')
  if (!g) throw new Error('canvas 2d context unavailable')
  g.scale(SCALE, SCALE)
  g.fillStyle = '#fff'
  g.fillRect(0, 0, width, height)
  const font = getComputedStyle(page).fontFamily || 'sans-serif'
  g.textBaseline = 'top'
  g.fillStyle = '#0f172a'
  g.font = `700 22px ${font}`
  g.fillText(head.title, PAD, PAD, width - PAD * 2)
  g.fillStyle = '#64748b'
  g.font = `400 13px ${font}`
  g.fillText(head.date, PAD, PAD + 32, width - PAD * 2)

  for (const r of rects) {
    const x = PAD + r.x
    const y = PAD + headH + r.y
    g.strokeStyle = '#e5e7eb'
    g.lineWidth = 1
    g.strokeRect(x + 0.5, y + 0.5, r.w - 1, r.h - 1)
    const chart = r.el.querySelector<HTMLCanvasElement>('.chart-box canvas')
    if (chart) {
      const cr = chart.getBoundingClientRect()
      const box = r.el.getBoundingClientRect()
      g.drawImage(chart, x + (cr.left - box.left), y + (cr.top - box.top), cr.width, cr.height)
      continue
    }
    drawFigure(g, r.el, x, y, r.w, font)
  }
  return canvas.toDataURL('image/png')
}

/** A key figure: its value and unit large, its label below, as on the page. */
function drawFigure(
  g: CanvasRenderingContext2D,
  el: HTMLElement,
  x: number,
  y: number,
  w: number,
  font: string,
): void {
  const valueEl = el.querySelector('.figure-value')
  const unit = el.querySelector('.figure-unit')?.textContent ?? ''
  const value = (valueEl?.firstChild?.textContent ?? '').trim()
  const label = el.querySelector('.figure-label')?.textContent ?? ''
  g.fillStyle = '#1e3a8a'
  g.font = `700 32px ${font}`
  g.fillText(value, x + 8, y + 8, w - 16)
  const vw = Math.min(g.measureText(value).width, w - 16)
  g.font = `400 16px ${font}`
  g.fillText(unit, x + 12 + vw, y + 22, Math.max(0, w - 20 - vw))
  g.fillStyle = '#475569'
  g.font = `400 14px ${font}`
  g.fillText(label, x + 8, y + 50, w - 16)
}
