import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  cellSel,
  cellText,
  createWorkbook,
  dataColumnIds,
  type Server,
  screenshot,
  startServer,
  waitForCell,
} from './harness'

let server: Server
let context: BrowserContext
let page: Page
let dir: string

describe('narrow screens: a phone at 390 × 844 with touch (real Chromium)', () => {
  beforeAll(async () => {
    server = await startServer()
    dir = mkdtempSync(join(tmpdir(), 'tz-e2e-narrow-'))
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'zh-CN',
      args: CHROMIUM_ARGS,
    })
    await context.addInitScript(() => {
      localStorage.setItem(
        'taizhang.identity',
        JSON.stringify({ id: 'e2e-narrow', name: '王敏', color: '#2563eb' }),
      )
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (e) => console.error('[narrow] pageerror:', e.message))
    await createWorkbook(page, server.origin, server.token, 'demo')
    await page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
  })
  afterAll(async () => {
    await context?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    await server?.stop()
  })

  it('keeps the toolbar on one row without horizontal overflow, the rest in 更多', async () => {
    await screenshot(page, 'app-narrow-390.png')
    const bar = await page.locator('.toolbar').evaluate((el) => {
      const r = el.getBoundingClientRect()
      const kids = [...el.children]
        .filter((c) => getComputedStyle(c).display !== 'none')
        .map((c) => c.getBoundingClientRect())
        // The spacer has no height.
        .filter((k) => k.height > 0)
      return {
        overflow: el.scrollWidth - el.clientWidth,
        right: r.right,
        pageWidth: document.documentElement.clientWidth,
        // One row: every visible child crosses one horizontal line.
        oneRow: Math.max(...kids.map((k) => k.top)) < Math.min(...kids.map((k) => k.bottom)),
        maxRight: Math.max(...kids.map((k) => k.right)),
      }
    })
    expect(bar.overflow).toBe(0)
    expect(bar.right).toBeLessThanOrEqual(bar.pageWidth)
    expect(bar.maxRight).toBeLessThanOrEqual(bar.right)
    expect(bar.oneRow).toBe(true)
    expect(await page.getByTestId('share').isVisible()).toBe(true)
    expect(await page.getByTestId('add-row').isVisible()).toBe(false)
    await page.getByTestId('toolbar-more').tap()
    const menu = page.locator('.context-menu, [role="menu"]').first()
    await menu.waitFor()
    const labels = await menu.locator('button').allTextContents()
    const trimmed = labels.map((l) => l.trim())
    // The built-in buttons and the extensions' (CSV import/export…) alike.
    expect(trimmed).toEqual(expect.arrayContaining(['+ 添加行', '列设置']))
    expect(trimmed.some((l) => l.startsWith('导入'))).toBe(true)
    expect(trimmed.some((l) => l.startsWith('导出'))).toBe(true)
    await screenshot(page, 'app-narrow-more.png')
    const rows = await page.locator('.ag-row').count()
    await menu.locator('button', { hasText: '添加行' }).tap()
    await page.waitForFunction((n) => document.querySelectorAll('.ag-row').length >= n, rows)
  })

  it('caps the pinned column at 40% of the width and keeps the status bar on one line', async () => {
    const first = (await dataColumnIds(page))[0]!
    const widths = await page.evaluate((firstCol) => {
      const w = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().width ?? -1
      const status = document.querySelector('[data-testid="status-bar"]')?.getBoundingClientRect()
      return {
        // The pinned columns: the row numbers and the first data column.
        pinned:
          w('.ag-header-cell[col-id="__rownum"]') + w(`.ag-header-cell[col-id="${firstCol}"]`),
        grid: w('.ag-root-wrapper'),
        status: status?.height ?? -1,
      }
    }, first)
    expect(widths.pinned).toBeGreaterThan(0)
    expect(widths.pinned).toBeLessThanOrEqual(widths.grid * 0.4 + 1)
    expect(widths.status).toBeLessThanOrEqual(30)
  })

  it('edits a cell by tapping it twice', async () => {
    const cols = await dataColumnIds(page)
    const cell = page.locator(cellSel(1, cols[2]!))
    await cell.tap()
    await cell.tap()
    await page.locator('.tz-editor').waitFor({ timeout: 5000 })
    await page.keyboard.press('Control+a')
    await page.keyboard.type('触屏编辑')
    await page.keyboard.press('Enter')
    await waitForCell(page, 1, cols[2]!, '触屏编辑')
    expect(await cellText(page, 1, cols[2]!)).toBe('触屏编辑')
  })
})
