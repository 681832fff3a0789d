import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, screenshot } from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let br: Browser

/** The column panel's box against the window, and whether anything inside it scrolls sideways. */
async function panelFits(page: Page) {
  return page.getByTestId('column-panel').evaluate((el) => {
    const r = el.getBoundingClientRect()
    const wider = [...el.querySelectorAll<HTMLElement>('*')].filter(
      (c) => c.getBoundingClientRect().right > r.right + 0.5,
    )
    return {
      right: r.right,
      left: r.left,
      window: document.documentElement.clientWidth,
      overflow: el.scrollWidth - el.clientWidth,
      sticksOut: wider.map((c) => c.className || c.tagName).slice(0, 5),
    }
  })
}

async function openTypeColumn(page: Page): Promise<void> {
  // 类型 is the demo's enum column.
  await page.getByTestId('column-panel').locator('.col-row .link', { hasText: '类型' }).click()
  await page.getByTestId('enum-editor').waitFor()
}

describe('the column panel (real Chromium)', () => {
  beforeAll(async () => {
    t = await openOnePage(
      'app-columns',
      { name: '王敏', color: '#2563eb' },
      {
        workbook: 'demo',
        firstRow: true,
      },
    )
    ;({ br } = t)
  })
  afterAll(() => t?.close())

  it('is never cut off on the right, wide or at 390 px', async () => {
    const page = br.page
    await page.locator('[data-command="panel.columns"]').click()
    await openTypeColumn(page)
    const wide = await panelFits(page)
    expect(wide.right).toBeLessThanOrEqual(wide.window)
    expect(wide.overflow).toBe(0)
    expect(wide.sticksOut).toEqual([])
    await screenshot(page, 'app-columns-1280.png')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.waitForTimeout(200)
    const narrow = await panelFits(page)
    expect(narrow.left).toBeGreaterThanOrEqual(0)
    expect(narrow.right).toBeLessThanOrEqual(narrow.window)
    expect(narrow.sticksOut).toEqual([])
    await screenshot(page, 'app-columns-390.png')
    await page.setViewportSize({ width: 1280, height: 760 })
  })

  it('edits enum options as a list with a colour picker; a duplicate is refused and writes nothing', async () => {
    const page = br.page
    const editor = page.getByTestId('enum-editor')
    const before = await editor
      .locator('.enum-value')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))
    expect(before.length).toBeGreaterThan(1)
    await page.getByTestId('enum-add').click()
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="enum-option"]').length === n,
      before.length + 1,
    )
    const last = editor.locator('[data-testid="enum-option"]').last()
    await last.locator('.enum-value').fill('试点站')
    await last.locator('.enum-value').press('Enter')
    await last.locator('.enum-value').blur()
    // The colour is picked with the browser's colour input (no hex typed by the person).
    await last.locator('.enum-color').evaluate((el) => {
      const input = el as HTMLInputElement
      input.value = '#dc2626'
      input.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await page.waitForFunction(() => {
      const opts = [...document.querySelectorAll('[data-testid="enum-option"]')]
      const o = opts[opts.length - 1]
      return (
        (o?.querySelector('.enum-value') as HTMLInputElement | null)?.value === '试点站' &&
        (o?.querySelector('.enum-color') as HTMLInputElement | null)?.value === '#dc2626'
      )
    })
    // A second 试点站 is refused with a message; the options stay as they were.
    const second = editor.locator('[data-testid="enum-option"]').first()
    await second.locator('.enum-value').fill('试点站')
    await second.locator('.enum-value').blur()
    expect(await page.getByTestId('enum-error').textContent()).toBe('选项“试点站”重复了，未保存。')
    expect(await second.locator('.enum-value').inputValue()).toBe(before[0])
    await screenshot(page, 'app-columns-enum.png')
  })
})
