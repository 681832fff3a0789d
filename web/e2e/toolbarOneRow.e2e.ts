/**
 * The workbook toolbar is one row at any width (issue 12, "grid2"; web/src/workbook/toolbar/
 * fitOneRow.ts): at 1280 px the everyday buttons (导入, 导出, 报表, 撤销/重做, 分享) are on the row
 * and 更多 offers exactly the rest; narrower, the row keeps its height, buttons leave from the end
 * (those marked `data-keep` last), and 更多 offers exactly those hidden, running the real button.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, screenshot } from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let br: Browser

interface Bar {
  height: number
  rows: number
  overflow: boolean
  hidden: string[]
  visible: string[]
  /** Labels of the buttons marked `data-keep`. */
  kept: string[]
  more: boolean
}

function readBar(page: Page): Promise<Bar> {
  return page.locator('.toolbar').evaluate((el) => {
    // The row's controls (popups and toasts that extensions mount in the bar float below it).
    const shown = [...el.querySelectorAll(':scope > button, :scope > a')].filter(
      (c) => getComputedStyle(c).display !== 'none',
    )
    // Children on one row all overlap the vertical band of the first one.
    const first = shown[0]!.getBoundingClientRect()
    const rows = shown.some((c) => c.getBoundingClientRect().top >= first.bottom) ? 2 : 1
    const buttons = [...el.querySelectorAll<HTMLButtonElement>(':scope > button')].filter(
      (b) => !b.classList.contains('toolbar-more'),
    )
    const label = (b: Element) => b.textContent?.trim() ?? ''
    return {
      height: Math.round(el.getBoundingClientRect().height),
      rows,
      overflow: el.scrollWidth > el.clientWidth,
      hidden: buttons.filter((b) => getComputedStyle(b).display === 'none').map(label),
      visible: buttons.filter((b) => getComputedStyle(b).display !== 'none').map(label),
      kept: buttons.filter((b) => b.hasAttribute('data-keep')).map(label),
      more: getComputedStyle(el.querySelector('.toolbar-more')!).display !== 'none',
    }
  })
}

describe('toolbar: one row at any width, the rest in 更多 (real Chromium)', () => {
  beforeAll(async () => {
    t = await openOnePage(
      'toolbar-row',
      { name: '李娜', color: '#059669' },
      {
        workbook: 'demo',
        firstRow: true,
      },
    )
    ;({ br } = t)
  })
  afterAll(() => t?.close())

  /** Opens 更多: its items, and the buttons hidden at that moment (labels like 冲突 (N) refit). */
  const moreItems = async (page: Page) => {
    await page.getByTestId('toolbar-more').click()
    const items = page.getByTestId('context-menu').getByRole('menuitem')
    const labels = (await items.allTextContents()).map((t) => t.trim())
    return { items, labels, hidden: (await readBar(page)).hidden }
  }

  it('at 1280 px the everyday buttons are on one row and 更多 offers exactly the rest', async () => {
    const bar = await readBar(br.page)
    await screenshot(br.page, 'toolbar-1280.png')
    expect(bar.rows).toBe(1)
    expect(bar.overflow).toBe(false)
    for (const everyday of ['导入 CSV / Excel', '导出', '报表', '撤销', '重做', '分享'])
      expect(bar.visible).toContain(everyday)
    expect(bar.kept).toEqual(['导入 CSV / Excel', '导出', '报表'])
    expect(bar.more).toBe(bar.hidden.length > 0)
    if (bar.more) {
      const more = await moreItems(br.page)
      expect(more.labels).toEqual(more.hidden)
      await br.page.keyboard.press('Escape')
    }
  })

  it('narrower, the row keeps its height and 更多 offers exactly the hidden buttons', async () => {
    const page = br.page
    const wide = await readBar(page)
    await page.setViewportSize({ width: 900, height: 760 })
    await page.waitForFunction(
      (n) => document.querySelectorAll('.toolbar > button[data-overflow]').length > n,
      wide.hidden.length,
    )
    const bar = await readBar(page)
    await screenshot(page, 'toolbar-900.png')
    expect(bar.rows).toBe(1)
    expect(bar.overflow).toBe(false)
    expect(bar.height).toBe(wide.height)
    expect(bar.more).toBe(true)
    // Everything hidden at 1280 is still hidden; what is shown was shown at 1280, in order.
    for (const h of wide.hidden) expect(bar.hidden).toContain(h)
    expect(wide.visible.filter((l) => bar.visible.includes(l))).toEqual(bar.visible)
    // The everyday buttons leave last: one is hidden only when every other one is.
    const others = bar.visible.filter((l) => !bar.kept.includes(l) && l !== '分享')
    if (bar.kept.some((k) => bar.hidden.includes(k))) expect(others).toEqual([])

    const { items, labels, hidden } = await moreItems(page)
    expect(labels).toEqual(hidden)
    await screenshot(page, 'toolbar-900-more.png')
    const target = bar.hidden.find((l) => l.startsWith('问题'))
    if (target) {
      await items.filter({ hasText: '问题' }).click()
      await page.locator('.side-panel').first().waitFor()
    } else {
      await page.keyboard.press('Escape')
    }

    await page.setViewportSize({ width: 1280, height: 760 })
    await page.waitForFunction(
      (n) => document.querySelectorAll('.toolbar > button[data-overflow]').length === n,
      wide.hidden.length,
    )
    const back = await readBar(page)
    expect(back.hidden).toEqual(wide.hidden)
  })
})
