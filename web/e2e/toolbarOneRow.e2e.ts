/**
 * The workbook toolbar is one row at any width (issue 12, "grid2"; web/src/workbook/toolbar/
 * fitOneRow.ts): at 1280 px every button of the demo workbook fits and 更多 is not shown; narrower,
 * the row keeps its height, the buttons that do not fit are hidden from the end, and 更多 offers
 * exactly those, running the real button.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  createWorkbook,
  openBrowser,
  type Server,
  screenshot,
  startServer,
} from './harness'

let server: Server
let br: Browser

interface Bar {
  height: number
  rows: number
  overflow: boolean
  hidden: string[]
  visible: string[]
  more: boolean
}

function readBar(page: Page): Promise<Bar> {
  return page.locator('.toolbar').evaluate((el) => {
    const shown = [...el.children].filter((c) => getComputedStyle(c).display !== 'none')
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
      more: getComputedStyle(el.querySelector('.toolbar-more')!).display !== 'none',
    }
  })
}

describe('toolbar: one row at any width, the rest in 更多 (real Chromium)', () => {
  beforeAll(async () => {
    server = await startServer()
    br = await openBrowser('toolbar-row', { name: '李娜', color: '#059669' })
    await createWorkbook(br.page, server.origin, server.token, 'demo')
    await br.page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
  })
  afterAll(async () => {
    await br?.close()
    await server?.stop()
  })

  it('at 1280 px every button fits on one row and 更多 is not shown', async () => {
    const bar = await readBar(br.page)
    await screenshot(br.page, 'toolbar-1280.png')
    expect(bar.rows).toBe(1)
    expect(bar.overflow).toBe(false)
    expect(bar.hidden).toEqual([])
    expect(bar.visible).toContain('分享')
    expect(bar.more).toBe(false)
  })

  it('narrower, the row keeps its height and 更多 offers exactly the hidden buttons', async () => {
    const page = br.page
    const wide = await readBar(page)
    await page.setViewportSize({ width: 900, height: 760 })
    await page.waitForFunction(() =>
      document.querySelector('.toolbar')?.hasAttribute('data-overflowing'),
    )
    const bar = await readBar(page)
    await screenshot(page, 'toolbar-900.png')
    expect(bar.rows).toBe(1)
    expect(bar.overflow).toBe(false)
    expect(bar.height).toBe(wide.height)
    expect(bar.more).toBe(true)
    expect(bar.hidden.length).toBeGreaterThan(0)
    // Hidden from the end: the visible buttons are a prefix of the wide row's, 分享 stays.
    expect(bar.visible).toEqual([...wide.visible.slice(0, bar.visible.length - 1), '分享'])
    expect([...bar.visible.slice(0, -1), ...bar.hidden, '分享']).toEqual(wide.visible)

    await page.getByTestId('toolbar-more').click()
    const items = page.getByTestId('context-menu').getByRole('menuitem')
    expect((await items.allTextContents()).map((s) => s.trim())).toEqual(bar.hidden)
    await screenshot(page, 'toolbar-900-more.png')
    // The menu runs the real (hidden) button.
    const target = bar.hidden.find((l) => l.startsWith('问题'))
    if (target) {
      await items.filter({ hasText: '问题' }).click()
      await page.locator('.side-panel').first().waitFor()
    } else {
      await page.keyboard.press('Escape')
    }

    // Wide again: everything back on the row, 更多 gone.
    await page.setViewportSize({ width: 1280, height: 760 })
    await page.waitForFunction(
      () => !document.querySelector('.toolbar')?.hasAttribute('data-overflowing'),
    )
    const back = await readBar(page)
    expect(back.hidden).toEqual([])
    expect(back.more).toBe(false)
  })
})
