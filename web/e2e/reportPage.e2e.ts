/**
 * The report page and outlier warnings (issue 14) in real Chromium on the real server, two pages on
 * the demo workbook: a value far outside its station's history is an amber warning on both pages,
 * not a problem; the report page prints (PDF via CDP) and exports as one PNG; its key figures are
 * expressions over summaries. Split out of reports.e2e.ts.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, type Browser, cellSel, screenshot } from './harness'
import { openReports, problemCount, tabs } from './reportsView'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser

describe('reports: outlier warnings, the report page (real Chromium)', () => {
  beforeAll(async () => {
    t = await openTwoPages('reppage')
    ;({ a, b } = t)
  })
  afterAll(() => t?.close())

  it("a value far outside its station's history is an amber warning on both pages, not a problem", async () => {
    await tabs(a).nth(1).click()
    await tabs(b).nth(1).click()
    const before = await problemCount(b)
    // The demo's own months already hold a few outliers: jump to one of 服务人次 (its station
    // has a history), and make it absurd.
    await a.page.getByTestId('problems-button').click()
    const entry = a.page
      .locator('[data-testid="problems-panel"] li')
      .filter({ hasText: '“服务人次”为' })
      .first()
    await entry.locator('button.link').click()
    const focused = a.page.locator('.ag-cell.ag-cell-focus')
    await focused.waitFor()
    expect(await focused.getAttribute('class')).toContain('tz-warning')
    await focused.click() // the jump focuses the grid's cell; the keyboard is still on the panel
    const colId = (await focused.getAttribute('col-id'))!
    const rowIndex = Number(
      await focused.evaluate((el) => el.closest('.ag-row')?.getAttribute('row-index')),
    )
    const target = cellSel(rowIndex, colId)
    await a.page.keyboard.press('Enter')
    await a.page.locator('.tz-editor').fill('999999')
    await a.page.keyboard.press('Enter') // commits and moves down, as in Excel
    await a.page.waitForFunction(
      (sel) => {
        const el = document.querySelector(sel)
        return el?.textContent?.includes('999,999') && el.classList.contains('tz-warning')
      },
      target,
      { timeout: 10_000 },
    )
    const tooltip = await a.page
      .locator(target)
      .evaluate(
        (cell) =>
          (cell as HTMLElement).title || cell.querySelector<HTMLElement>('[title]')?.title || '',
      )
    expect(tooltip).toContain('中位数')
    await a.page.getByTestId('problems-button').click()
    // On B: listed as a warning (提醒), not counted as a problem.
    await b.page.getByTestId('problems-button').click()
    await b.page
      .locator('[data-testid="problems-panel"] li')
      .filter({ hasText: '“服务人次”为 999999' })
      .first()
      .waitFor({ timeout: 10_000 })
    expect(await problemCount(b)).toBe(before)
    await screenshot(b.page, 'reports-outlier-warning.png')
    await a.page.locator(target).click()
    await a.page.keyboard.press('Control+z')
    await b.page
      .locator('[data-testid="problems-panel"] li')
      .filter({ hasText: '“服务人次”为 999999' })
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
    await b.page.getByTestId('problems-button').click()
  })

  it('the report page prints: a PDF with the report and without the toolbar', async () => {
    await openReports(b, 'report')
    await b.page.getByTestId('report-figure').first().waitFor()
    await b.page
      .locator('[data-testid="report-page"] [data-testid="chart"][data-ready="1"]')
      .first()
      .waitFor({ timeout: 15_000 })
    await screenshot(b.page, 'reports-report-page.png')
    // Report print CSS is scoped to the report's own print (blanks): other printing is unaffected.
    await b.page.emulateMedia({ media: 'print' })
    expect(
      await b.page.evaluate(
        () => getComputedStyle(document.querySelector('[data-testid="reports-open"]')!).visibility,
      ),
    ).toBe('visible')
    // The print dialog is the browser's; the test prints through CDP instead of window.print().
    await b.page.evaluate(() => {
      window.print = () => {}
    })
    await b.page.getByTestId('report-print').click()
    const visible = await b.page.evaluate(() => ({
      title: document.querySelector('.report-title h1')?.textContent ?? '',
      titleShown:
        getComputedStyle(document.querySelector('.report-title')!).visibility === 'visible',
      toolbarShown:
        getComputedStyle(document.querySelector('[data-testid="reports-open"]')!).visibility ===
        'visible',
      tabsShown: getComputedStyle(document.querySelector('.reports-head')!).display !== 'none',
    }))
    expect(visible).toEqual({
      title: '社工站建设与服务情况汇报（示例数据）',
      titleShown: true,
      toolbarShown: false,
      tabsShown: false,
    })
    await screenshot(b.page, 'reports-print-media.png')
    const pdf = await b.page.pdf({ format: 'A4', printBackground: true })
    expect(pdf.byteLength).toBeGreaterThan(20_000)
    // Chinese glyphs are embedded as a CJK font subset.
    expect(pdf.toString('latin1')).toMatch(/Noto.?Sans.?CJK|NotoSansCJK|Noto Sans CJK|CIDFontType/)
    await b.page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    expect(
      await b.page.evaluate(() =>
        document.documentElement.classList.contains('tz-report-printing'),
      ),
    ).toBe(false)
    await b.page.emulateMedia({ media: 'screen' })
  })

  it('key figures are expressions over summaries; the whole report exports as one PNG', async () => {
    await openReports(b, 'report')
    const figures = b.page.getByTestId('report-figure')
    await figures.nth(3).waitFor()
    // The demo's fourth figure: 各区县各月服务情况.服务人次 / 各区县社工站.行数计数, rounded.
    // Summaries compute a moment after the page opens: the figure reads — until then.
    await expect
      .poll(async () => (await figures.nth(3).locator('.figure-value').textContent()) ?? '', {
        timeout: 15_000,
      })
      .toMatch(/^[\d,]+人次$/)
    expect(await b.page.getByTestId('figure-error').count()).toBe(0)
    // A bad name is explained where it is typed; a good expression previews its value.
    const input = b.page.getByTestId('figure-expr')
    await input.fill('各区县社工站.不存在')
    expect(await b.page.getByTestId('expr-error').textContent()).toContain('没有度量“不存在”')
    expect(await b.page.getByTestId('figure-add').isDisabled()).toBe(true)
    await input.fill('各区县社工站.行数计数 * 2')
    await b.page.getByTestId('figure-preview').waitFor()
    await b.page.getByTestId('figure-add').click()
    await figures.nth(4).waitFor()
    const count = Number(
      ((await figures.nth(0).locator('.figure-value').textContent()) ?? '').replace(/\D/g, ''),
    )
    const doubled = Number(
      ((await figures.nth(4).locator('.figure-value').textContent()) ?? '').replace(/\D/g, ''),
    )
    expect(doubled).toBe(count * 2)
    await b.page
      .locator('[data-testid="report-page"] [data-testid="chart"][data-ready="1"]')
      .first()
      .waitFor({ timeout: 15_000 })
    const [download] = await Promise.all([
      b.page.waitForEvent('download'),
      b.page.getByTestId('report-png').click(),
    ])
    const png = await readFile((await download.path())!)
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    // Two charts and five figures at 2× the page's size: far more than an empty canvas.
    expect(png.byteLength).toBeGreaterThan(60_000)
    expect(download.suggestedFilename()).toBe('社工站建设与服务情况汇报（示例数据）.png')
    await writeFile(join(ARTIFACTS, 'reports-report-export.png'), png)
    // Remove the added figure again (later tests count the demo's).
    await b.page.locator('.report-figure .item-tools .danger').nth(4).click()
    await expect.poll(() => figures.count()).toBe(4)
  })
})
