/**
 * Steps through the 报表 view and the problems button that reports.e2e.ts and reportPage.e2e.ts
 * (and appWorkbook.e2e.ts) share.
 */
import type { Browser } from './harness'

export const tabs = (br: Browser) =>
  br.page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]')

/** A shown number without its grouping and unit (1,234人次 → 1234). */
export const number = (s: string | null) => Number((s ?? '').replace(/[^\d.-]/g, ''))

export const matrixCell = (br: Browser, station: string, period: string) =>
  br.page.locator(
    `[data-testid="completeness-matrix"] td[data-station="${station}"][data-period="${period}"]`,
  )

/** The count the problems button shows, e.g. 问题 (3) → 3. */
export const problemCount = async (br: Browser) =>
  Number(/\((\d+)\)/.exec((await br.page.getByTestId('problems-button').textContent()) ?? '')?.[1])

/** Opens 报表 (unless open) on one of its tabs. */
export async function openReports(
  br: Browser,
  tab: 'summaries' | 'charts' | 'completeness' | 'report' | 'expr',
) {
  if (
    !(await br.page
      .getByTestId('reports')
      .isVisible()
      .catch(() => false))
  )
    await br.page.getByTestId('reports-open').click()
  await br.page.getByTestId(`reports-tab-${tab}`).click()
}

/** Opens 报表 → 汇总 and shows the summary titled `title`. */
export async function showSummary(br: Browser, title: string) {
  await openReports(br, 'summaries')
  await br.page.getByTestId('summary-item').filter({ hasText: title }).click()
}

/** Closes 报表 when it is open. */
export async function closeReports(br: Browser) {
  if (
    await br.page
      .getByTestId('reports')
      .isVisible()
      .catch(() => false)
  )
    await br.page.getByTestId('reports-close').click()
}
