/**
 * Reports (issue 14) in real Chromium on the real server, two pages on the demo workbook: A edits a
 * metric, B's cross-tab, chart and completeness matrix update live; a summary drills down; B
 * reloads offline and still computes everything. The report page and the outlier warnings are in
 * reportPage.e2e.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellText, dataColumnIds, screenshot, typeInCell, waitSaved } from './harness'
import {
  closeReports,
  matrixCell,
  number,
  openReports,
  problemCount,
  showSummary,
  tabs,
} from './reportsView'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser

/** A clears 服务人次 of the 指标 row at `row`, returning the value it held. */
async function clearServed(row: number): Promise<number> {
  await closeReports(a)
  await tabs(a).nth(1).click()
  const cols = await dataColumnIds(a.page)
  const served = cols[3]!
  const before = number(await cellText(a.page, row, served))
  await typeInCell(a.page, row, served, '')
  await waitSaved(a.page, { synced: true })
  return before
}

describe('reports: summaries, cross-tab, charts, completeness (real Chromium)', () => {
  beforeAll(async () => {
    t = await openTwoPages('rep')
    ;({ a, b } = t)
  })
  afterAll(() => t?.close())

  it("A edits a metric: B's cross-tab and chart update live", async () => {
    await showSummary(b, '服务人次：区县 × 月份')
    const total = b.page.getByTestId('crosstab-total')
    await total.waitFor()
    const t0 = number(await total.textContent())
    expect(t0).toBeGreaterThan(0)
    await screenshot(b.page, 'reports-crosstab.png')
    const v = await clearServed(0)
    expect(v).toBeGreaterThan(0)
    await b.page.waitForFunction(
      ([want]) =>
        Number(
          (document.querySelector('[data-testid="crosstab-total"]')?.textContent ?? '').replace(
            /[^\d.-]/g,
            '',
          ),
        ) === want,
      [t0 - v] as const,
      { timeout: 10_000 },
    )
    // The chart over that cross-tab redraws too.
    await openReports(b, 'charts')
    const chart = b.page.locator('[data-testid="chart"][data-ready="1"]').first()
    await chart.waitFor({ timeout: 15_000 })
    const version = Number((await chart.getAttribute('data-version')) ?? 0)
    await clearServed(2)
    await b.page.waitForFunction(
      (was) =>
        Number(
          document
            .querySelector('[data-testid="chart"][data-ready="1"]')
            ?.getAttribute('data-version') ?? 0,
        ) > was,
      version,
      { timeout: 10_000 },
    )
    await screenshot(b.page, 'reports-charts.png')
  })

  it("A edits a metric: B's completeness matrix updates live", async () => {
    await openReports(b, 'completeness')
    const cell = matrixCell(b, '杨浦区社会工作服务指导中心', '2024-02')
    await cell.waitFor()
    expect(await cell.getAttribute('data-status')).toBe('reported')
    expect(await matrixCell(b, '朝歌街道社工站', '2024-07').getAttribute('data-status')).toBe(
      'reported',
    )
    expect(await matrixCell(b, '殷行街道社工站', '2024-07').getAttribute('data-status')).toBe(
      'missing',
    )
    await screenshot(b.page, 'reports-completeness.png')
    // Row 1 of 指标 is the guidance centre's 2024-02.
    await clearServed(1)
    await b.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-status') === 'partial',
      '[data-testid="completeness-matrix"] td[data-station="杨浦区社会工作服务指导中心"][data-period="2024-02"]',
      { timeout: 10_000 },
    )
    // Marking complete is a record in the doc: A sees B's mark.
    await matrixCell(b, '殷行街道社工站', '2024-07').locator('button').click()
    await b.page.getByTestId('completeness-mark').click()
    await b.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-status') === 'confirmed',
      '[data-testid="completeness-matrix"] td[data-station="殷行街道社工站"][data-period="2024-07"]',
    )
    await openReports(a, 'completeness')
    await a.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-status') === 'confirmed',
      '[data-testid="completeness-matrix"] td[data-station="殷行街道社工站"][data-period="2024-07"]',
      { timeout: 10_000 },
    )
    await a.page.getByTestId('reports-close').click()
  })

  it('the totals row under the grid sums what is shown; its kind is stored for everyone', async () => {
    await showSummary(b, '服务人次：区县 × 月份')
    const crossTotal = number(await b.page.getByTestId('crosstab-total').textContent())
    await b.page.getByTestId('reports-close').click()
    await tabs(b).nth(1).click()
    const cols = await dataColumnIds(b.page)
    const served = b.page.locator(`[data-testid="totals-row"] .tz-total[data-col="${cols[3]}"]`)
    await served.waitFor()
    expect(await served.getAttribute('data-kind')).toBe('sum')
    expect(number(await served.textContent())).toBe(crossTotal)
    await screenshot(b.page, 'reports-totals-row.png')
    await served.click()
    await tabs(a).nth(1).click()
    await a.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-kind') === 'avg',
      `[data-testid="totals-row"] .tz-total[data-col="${cols[3]}"]`,
      { timeout: 10_000 },
    )
  })

  it('a row breaking a rule is a problem on both pages', async () => {
    await closeReports(b)
    const before = await problemCount(a)
    const beforeB = await problemCount(b)
    await tabs(a).nth(1).click()
    const cols = await dataColumnIds(a.page)
    // Row 4 of 指标: 服务活动 15; 服务人次 1 breaks 服务人次 >= 服务活动（次）.
    await typeInCell(a.page, 3, cols[3]!, '1')
    await a.page.waitForFunction(
      ([want]) =>
        document
          .querySelector('[data-testid="problems-button"]')
          ?.textContent?.includes(`(${want})`),
      [before + 1] as const,
      { timeout: 10_000 },
    )
    await b.page.waitForFunction(
      ([want]) =>
        document
          .querySelector('[data-testid="problems-button"]')
          ?.textContent?.includes(`(${want})`),
      [beforeB + 1] as const,
      { timeout: 10_000 },
    )
    await a.page.getByTestId('problems-button').click()
    await a.page.getByText('服务人次应不少于服务活动次数').first().waitFor()
    await screenshot(a.page, 'reports-rule-problem.png')
    await a.page.getByTestId('problems-button').click()
  })

  it('retyping a date column to 期间 converts every value in one undoable step', async () => {
    await tabs(a).nth(0).click()
    await a.page.getByRole('button', { name: '列设置' }).click()
    const panel = a.page.getByTestId('column-panel')
    await panel.getByRole('button', { name: '建站日期' }).click()
    await panel.locator('select').first().selectOption('period')
    const note = a.page.getByTestId('retype-note')
    await note.waitFor()
    expect(await note.textContent()).toBe('已转换 22 个值；0 个无法识别的值保留原样，已标为问题')
    // Columns off screen are not in the DOM: scroll the grid to its right end, then find 建站日期.
    await a.page.evaluate(() => {
      const h = document.querySelector<HTMLElement>('.ag-body-horizontal-scroll-viewport')
      if (h) h.scrollLeft = h.scrollWidth
    })
    const header = a.page.locator('.ag-header-cell[col-id]', { hasText: '建站日期' })
    await header.waitFor()
    const founded = (await header.getAttribute('col-id'))!
    await a.page.waitForFunction(
      (sel) => /^\d{4}年\d{1,2}月$/.test(document.querySelector(sel)?.textContent?.trim() ?? ''),
      `.ag-row[row-index="0"] [col-id="${founded}"]`,
    )
    await screenshot(a.page, 'reports-retype-period.png')
    await a.page.getByTestId('undo').click()
    await a.page.waitForFunction(
      (sel) => /^\d{4}-\d{2}-\d{2}$/.test(document.querySelector(sel)?.textContent?.trim() ?? ''),
      `.ag-row[row-index="0"] [col-id="${founded}"]`,
    )
    await a.page.getByRole('button', { name: '列设置' }).click()
  })

  it('a summary drills down to its rows', async () => {
    await showSummary(b, '各区县各月服务情况')
    const table = b.page.getByTestId('summary-table')
    await table.waitFor()
    // Subtotal and total rows are there.
    expect(await table.locator('tr[data-level="1"]').count()).toBeGreaterThan(0)
    expect(await table.locator('tr[data-level="2"]').count()).toBe(1)
    const first = table.locator('tr[data-level="0"]').first()
    const rows = number(await first.locator('td').last().textContent())
    await first.click()
    const drill = b.page.getByTestId('drill')
    await drill.waitFor()
    expect(await drill.locator('tbody tr').count()).toBe(rows)
    await screenshot(b.page, 'reports-drilldown.png')
  })

  it('a period range (本月…) limits summaries grouped by 期间', async () => {
    await showSummary(b, '各区县各月服务情况')
    const table = b.page.getByTestId('summary-table')
    await table.waitFor()
    expect(await table.locator('tr[data-level="0"]').count()).toBeGreaterThan(0)
    // The demo's figures are for 2024: this month has none of them.
    await b.page.getByTestId('summary-range').selectOption('thisMonth')
    await b.page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="summary-table"] tr[data-level="0"]').length === 0,
    )
    await b.page.getByTestId('summary-range').selectOption('')
    await b.page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="summary-table"] tr[data-level="0"]').length > 0,
    )
  })

  it('a bad expression gets a located zh message and saves nothing', async () => {
    await openReports(b, 'summaries')
    const before = await b.page.getByTestId('summary-item').count()
    const sheetValue = await b.page
      .getByTestId('summary-sheet')
      .locator('option', { hasText: '指标' })
      .getAttribute('value')
    await b.page.getByTestId('summary-sheet').selectOption(sheetValue!)
    await b.page.getByTestId('summary-groupby').fill('站点.街道')
    await b.page.getByTestId('summary-expr').fill('服务人次')
    await b.page.getByTestId('summary-save').click()
    const err = b.page.getByTestId('summary-error')
    await err.waitFor()
    expect(await err.textContent()).toBe('分组：“站点”中没有名为“街道”的列')
    expect(await b.page.getByTestId('summary-item').count()).toBe(before)
  })

  it('computed columns and rules: values per row, a located error where the expression is typed', async () => {
    await openReports(b, 'expr')
    const tab = b.page.getByTestId('expr-tab')
    const sheetValue = await tab
      .locator('select')
      .first()
      .locator('option', { hasText: '指标' })
      .getAttribute('value')
    await tab.locator('select').first().selectOption(sheetValue!)
    await b.page.getByTestId('computed-table').waitFor()
    expect(await b.page.getByTestId('computed-value').count()).toBe(5)
    await b.page.getByTestId('computed-expr').fill('服务人次 / 不存在')
    const err = b.page.getByTestId('expr-error')
    await err.waitFor()
    expect(await err.locator('mark').textContent()).toBe('不存在')
    expect(await err.textContent()).toContain('“指标”中没有名为“不存在”的列')
    expect(await b.page.getByTestId('computed-save').isDisabled()).toBe(true)
    await screenshot(b.page, 'reports-expr.png')
    await b.page.getByTestId('computed-expr').fill('')
  })

  it('works offline after a reload', async () => {
    await b.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await showSummary(b, '服务人次：区县 × 月份')
    const online = await b.page.getByTestId('crosstab-total').textContent()
    await b.context.setOffline(true)
    await b.page.reload()
    await b.page.getByTestId('workbook').waitFor({ timeout: 20_000 })
    await showSummary(b, '服务人次：区县 × 月份')
    expect(await b.page.getByTestId('crosstab-total').textContent()).toBe(online)
    await openReports(b, 'completeness')
    expect(await matrixCell(b, '殷行街道社工站', '2024-07').getAttribute('data-status')).toBe(
      'confirmed',
    )
    await openReports(b, 'charts')
    await b.page
      .locator('[data-testid="chart"][data-ready="1"]')
      .first()
      .waitFor({ timeout: 15_000 })
    await screenshot(b.page, 'reports-offline.png')
    await b.context.setOffline(false)
  })
})
