/**
 * Reports (issue 14) in real Chromium on the real server, two pages on the demo workbook: A edits a
 * metric, B's cross-tab, chart and completeness matrix update live; a summary drills down; the
 * report page prints (PDF via CDP); B reloads offline and still computes everything.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ARTIFACTS,
  type Browser,
  cellSel,
  cellText,
  createWorkbook,
  dataColumnIds,
  openBrowser,
  type Server,
  screenshot,
  startServer,
  typeInCell,
  waitForCell,
  waitSaved,
} from './harness'

let server: Server
let a: Browser
let b: Browser
let workbookId: string

const tabs = (br: Browser) => br.page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]')
const number = (s: string | null) => Number((s ?? '').replace(/[^\d.-]/g, ''))
const matrixCell = (br: Browser, station: string, period: string) =>
  br.page.locator(
    `[data-testid="completeness-matrix"] td[data-station="${station}"][data-period="${period}"]`,
  )

async function openReports(br: Browser, tab: 'summaries' | 'charts' | 'completeness' | 'report') {
  if (
    !(await br.page
      .getByTestId('reports')
      .isVisible()
      .catch(() => false))
  )
    await br.page.getByTestId('reports-open').click()
  await br.page.getByTestId(`reports-tab-${tab}`).click()
}

async function showSummary(br: Browser, title: string) {
  await openReports(br, 'summaries')
  await br.page.getByTestId('summary-item').filter({ hasText: title }).click()
}

/** A clears 服务人次 of the 指标 row at `row`, returning the value it held. */
async function clearServed(row: number): Promise<number> {
  if (
    await a.page
      .getByTestId('reports')
      .isVisible()
      .catch(() => false)
  )
    await a.page.getByTestId('reports-close').click()
  await tabs(a).nth(1).click()
  const cols = await dataColumnIds(a.page)
  const served = cols[3]!
  const before = number(await cellText(a.page, row, served))
  await typeInCell(a.page, row, served, '')
  await waitSaved(a.page, { synced: true })
  return before
}

describe('reports: summaries, cross-tab, charts, completeness, report page (real Chromium)', () => {
  beforeAll(async () => {
    server = await startServer()
    a = await openBrowser('rep-a', { name: '王敏', color: '#2563eb' })
    b = await openBrowser('rep-b', { name: '李强', color: '#d97706' })
    workbookId = await createWorkbook(a.page, server.origin, server.token, 'demo')
    await waitSaved(a.page, { synced: true })
    await b.page.goto(
      `${server.origin}/#/w/${workbookId}?token=${encodeURIComponent(server.token)}`,
    )
    await b.page.getByTestId('workbook').waitFor()
    await b.page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await server?.stop()
  })

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
    const count = async (br: Browser) =>
      Number(
        /\((\d+)\)/.exec((await br.page.getByTestId('problems-button').textContent()) ?? '')?.[1],
      )
    if (
      await b.page
        .getByTestId('reports')
        .isVisible()
        .catch(() => false)
    )
      await b.page.getByTestId('reports-close').click()
    const before = await count(a)
    const beforeB = await count(b)
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

  it("a value far outside its station's history is an amber warning on both pages, not a problem", async () => {
    const count = async (br: Browser) =>
      Number(
        /\((\d+)\)/.exec((await br.page.getByTestId('problems-button').textContent()) ?? '')?.[1],
      )
    await tabs(a).nth(1).click()
    await tabs(b).nth(1).click()
    const before = await count(b)
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
    expect(await count(b)).toBe(before)
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
