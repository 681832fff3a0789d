import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellValue,
  columnsByName,
  screenshot,
  typeInCell,
  waitForCell,
  waitSaved,
} from './harness'
import { firstRowShown, type OnePage, openOnePage, openVersions, WANG } from './twoPages'

/**
 * issue 13 §3 (attest): a rollback never unlocks a month. The owner saves a version, edits a cell
 * of a month and one of another month, locks the first month, rolls back: the unlocked month's
 * cell comes back, the locked one stays as it is, the lock stays, and the dialog said so.
 */
let t: OnePage
let br: Browser

describe('issue 13 §3: a rollback leaves a locked month and its lock as they are (real server, Chromium)', () => {
  beforeAll(async () => {
    t = await openOnePage('ver-locks', WANG, { workbook: 'demo' })
    br = t.br
    await waitSaved(br.page, { synced: true })
  })
  afterAll(() => t?.close())

  it('the unlocked month rolls back, the locked month does not, the lock stays; the toast says how many were left', async () => {
    const page = br.page
    await page.locator('[data-testid="sheet-tabs"] .tab', { hasText: '指标' }).click()
    await firstRowShown(page)
    const cols = await columnsByName(page)
    const served = cols['服务人次']!
    const periodCol = cols['期间']!
    // Two rows of different months.
    const p0 = ((await cellValue(page, 0, periodCol)) ?? '').trim()
    let j = 1
    while (j < 12 && ((await cellValue(page, j, periodCol)) ?? '').trim() === p0) j++
    expect(j).toBeLessThan(12)
    const v0 = (await cellValue(page, 0, served)) ?? ''
    const vj = (await cellValue(page, j, served)) ?? ''

    await openVersions(page)
    const panel = page.getByTestId('versions-panel')
    await panel.getByTestId('versions-name').fill('锁定前')
    await panel.getByTestId('versions-save').click()
    const saved = panel.getByTestId('version-item').filter({ hasText: '锁定前' })
    await saved.waitFor({ timeout: 15_000 })

    await typeInCell(page, 0, served, '111')
    await typeInCell(page, j, served, '222')
    await waitSaved(page, { synced: true })

    // Lock the first row's month in 报表 → 完成情况.
    await page.getByTestId('reports-open').click()
    await page.getByTestId('reports-tab-completeness').click()
    const locks = page.getByTestId('period-locks').first()
    await locks.waitFor({ timeout: 15_000 })
    const lockRow = locks.locator('tr[data-period]').filter({ hasText: p0 }).first()
    await lockRow.getByTestId('period-lock').click()
    await expect.poll(() => lockRow.getAttribute('data-locked'), { timeout: 15_000 }).toBe('1')
    await page.getByTestId('reports-close').click()
    await waitSaved(page, { synced: true })

    await openVersions(page)
    await saved.getByTestId('version-rollback').click()
    const confirm = page.getByTestId('rollback-confirm')
    await confirm.waitFor()
    const scope = (await confirm.getByTestId('rollback-scope').textContent()) ?? ''
    expect(scope).toContain('权限规则、期间锁定和“已标记完成”不会回滚')
    await confirm.getByTestId('rollback-confirm-ok').click()

    await waitForCell(page, j, served, vj, 15_000)
    const toast = page.locator('.toast').filter({ hasText: '保持不变' })
    await toast.waitFor({ timeout: 15_000 })
    expect(await toast.textContent()).toContain('另有 1 处因期间已锁定或超出你的权限而保持不变')
    await screenshot(page, 'versions-locks-after-rollback.png')
    expect((await cellValue(page, 0, served))?.trim()).toBe('111')
    expect(v0.trim()).not.toBe('111')
    // The lock is still there.
    await page.getByTestId('reports-open').click()
    await page.getByTestId('reports-tab-completeness').click()
    const again = page
      .getByTestId('period-locks')
      .first()
      .locator('tr[data-period]')
      .filter({ hasText: p0 })
      .first()
    await again.waitFor({ timeout: 15_000 })
    expect(await again.getAttribute('data-locked')).toBe('1')
    await page.getByTestId('reports-close').click()
  })
})
