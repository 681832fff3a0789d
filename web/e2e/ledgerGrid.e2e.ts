/**
 * Ledger features in the grid (issue 14, "ledger2") in real Chromium on the real server, two pages
 * on the demo workbook: the computed column 人均服务人次 (ROUND(服务人次 / 站点.持证社工, 1)) is shown
 * read-only on both pages, marked as computed in its header, refuses editing, and follows A's edits
 * on B live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellText,
  dataColumnIds,
  screenshot,
  typeInCell,
  waitSaved,
} from './harness'
import { closeReports, tabs } from './reportsView'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser

const computedHeader = (br: Browser) => br.page.locator('.ag-header-cell[col-id^="__computed:"]')

/** Scrolls the grid to its right edge, where the computed columns are. */
async function scrollRight(br: Browser) {
  await br.page.evaluate(() => {
    for (const el of document.querySelectorAll<HTMLElement>(
      '.ag-body-horizontal-scroll-viewport, .ag-center-cols-viewport',
    ))
      el.scrollLeft = el.scrollWidth
  })
}

describe('ledger in the grid: computed columns (real Chromium, two pages)', () => {
  beforeAll(async () => {
    t = await openTwoPages('lg')
    ;({ a, b } = t)
    for (const br of [a, b]) {
      await tabs(br).nth(1).click()
      await br.page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
    }
  })
  afterAll(() => t?.close())

  it('shows the computed column read-only, marked in the header, live on both pages', async () => {
    for (const br of [a, b]) {
      await computedHeader(br).first().waitFor({ timeout: 10_000 })
      expect(await computedHeader(br).count()).toBe(1)
      expect((await computedHeader(br).textContent())?.trim()).toBe('ƒ 人均服务人次')
      expect(await computedHeader(br).getAttribute('class')).toContain('tz-header-computed')
    }
    const computed = (await computedHeader(a).getAttribute('col-id'))!
    const served = (await dataColumnIds(a.page))[3]!
    for (const br of [a, b]) await scrollRight(br)
    await b.page.locator(cellSel(0, computed)).waitFor()

    const s0 = Number((await cellText(a.page, 0, served)).replace(/[^\d.-]/g, ''))
    const c0 = Number(await cellText(b.page, 0, computed))
    expect(s0).toBeGreaterThan(0)
    expect(c0).toBeGreaterThan(0)
    // 持证社工 of row 0's station, recovered from the shown ratio (rounded to 0.1).
    const workers = s0 / c0

    // A doubles 服务人次: B's computed value follows without a reload.
    await scrollRight(a)
    await typeInCell(a.page, 0, served, String(s0 * 2))
    await waitSaved(a.page, { synced: true })
    await b.page.waitForFunction(
      ([sel, before]) => {
        const text = document.querySelector(sel!)?.textContent?.trim() ?? ''
        return text !== '' && text !== before
      },
      [cellSel(0, computed), String(c0)] as const,
      { timeout: 10_000 },
    )
    const c1 = Number(await cellText(b.page, 0, computed))
    expect(Math.abs(c1 - (s0 * 2) / workers)).toBeLessThanOrEqual(0.2)
    await scrollRight(b)
    await screenshot(b.page, 'ledgerGrid-computed.png')

    // 0 served → 0.0 exactly, on both pages.
    await typeInCell(a.page, 0, served, '0')
    await waitSaved(a.page, { synced: true })
    await b.page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.trim() === '0.0',
      cellSel(0, computed),
      { timeout: 10_000 },
    )
    expect(await cellText(a.page, 0, computed)).toBe('0.0')

    // Editing is refused: no editor opens by Enter, typing or a double click, nothing changes.
    await scrollRight(a)
    const cell = a.page.locator(cellSel(0, computed))
    await cell.click()
    await a.page.keyboard.press('Enter')
    await a.page.keyboard.type('9')
    await cell.dblclick()
    expect(await a.page.locator('.tz-editor').count()).toBe(0)
    await a.page.keyboard.press('Escape')
    expect(await cellText(a.page, 0, computed)).toBe('0.0')
    // Its cells carry the read-only computed style.
    expect(await a.page.locator(`[col-id="${computed}"].tz-computed`).count()).toBeGreaterThan(0)
  })
  it('a summary drill-down opens the sheet filtered to the group, with a chip that clears it', async () => {
    const br = b
    // The toolbar may have moved 报表 to its overflow menu: click the button itself.
    await br.page.getByTestId('reports-open').evaluate((el) => (el as HTMLElement).click())
    await br.page.getByTestId('reports-tab-summaries').click()
    await br.page.getByTestId('summary-item').filter({ hasText: '各区县各月服务情况' }).click()
    const table = br.page.getByTestId('summary-table')
    await table.waitFor()
    const first = table.locator('tr[data-level="0"]').first()
    const rows = Number(((await first.locator('td').last().textContent()) ?? '').replace(/\D/g, ''))
    expect(rows).toBeGreaterThan(0)
    const district = ((await first.locator('td').first().textContent()) ?? '').trim()
    await first.click()
    await br.page.getByTestId('drill-open').click()
    await closeReports(br)
    const chip = br.page.getByTestId('drill-chip')
    await chip.waitFor({ state: 'visible', timeout: 10_000 })
    const chipText = (await chip.textContent()) ?? ''
    expect(chipText.startsWith('筛选：区县 = ')).toBe(true)
    expect(chipText).toContain('期间 = ')
    if (district) expect(chipText).toContain(district)
    const label = br.page.getByTestId('totals-row').locator('.tz-total-label')
    await br.page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid="totals-row"] .tz-total-label')?.textContent ===
        `合计（${n} 行）`,
      rows,
      { timeout: 10_000 },
    )
    expect(
      await br.page.evaluate(
        () =>
          new Set(
            [...document.querySelectorAll('.ag-row[row-index]')].map((r) =>
              r.getAttribute('row-index'),
            ),
          ).size,
      ),
    ).toBe(rows)
    await screenshot(br.page, 'ledgerGrid-drill.png')
    await br.page.getByTestId('drill-clear').click()
    await chip.waitFor({ state: 'hidden' })
    await br.page.waitForFunction(
      () =>
        document.querySelector('[data-testid="totals-row"] .tz-total-label')?.textContent ===
        '合计（141 行）',
      undefined,
      { timeout: 10_000 },
    )
    expect(await label.textContent()).toBe('合计（141 行）')
  })
  it('the 期间 column filter: 自定义 from–to, 本月, 全部', async () => {
    const br = a
    const period = (await dataColumnIds(br.page))[1]!
    const totals = () =>
      br.page.evaluate(
        () => document.querySelector('[data-testid="totals-row"] .tz-total-label')?.textContent,
      )
    const waitTotals = (text: string) =>
      br.page.waitForFunction(
        (want) =>
          document.querySelector('[data-testid="totals-row"] .tz-total-label')?.textContent ===
          want,
        text,
        { timeout: 10_000 },
      )
    await br.page.evaluate(() => {
      for (const el of document.querySelectorAll<HTMLElement>(
        '.ag-body-horizontal-scroll-viewport, .ag-center-cols-viewport',
      ))
        el.scrollLeft = 0
    })
    await br.page
      .locator(`.ag-header-cell[col-id="${period}"] .ag-header-cell-filter-button`)
      .click()
    const kind = br.page.getByTestId('period-filter-kind')
    await kind.waitFor()
    await kind.selectOption('custom')
    await br.page.getByTestId('period-filter-from').fill('2024-01')
    await br.page.getByTestId('period-filter-to').fill('2024年1月')
    await br.page.getByTestId('period-filter-to').press('Tab')
    await br.page.waitForFunction(
      () =>
        document.querySelector('[data-testid="totals-row"] .tz-total-label')?.textContent !==
        '合计（141 行）',
      undefined,
      { timeout: 10_000 },
    )
    const n = Number(((await totals()) ?? '').replace(/\D/g, ''))
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(141)
    const shown = await br.page.evaluate(
      (col) =>
        [...document.querySelectorAll(`.ag-row [col-id="${col}"]`)].map((e) =>
          e.textContent?.trim(),
        ),
      period,
    )
    expect(shown.length).toBeGreaterThan(0)
    expect(shown.every((x) => x === '2024年1月')).toBe(true)
    await screenshot(br.page, 'ledgerGrid-periodFilter.png')
    // The demo's figures are for 2024: 本月 holds none of them.
    await kind.selectOption('thisMonth')
    await waitTotals('合计（0 行）')
    await kind.selectOption('')
    await waitTotals('合计（141 行）')
  })
})
