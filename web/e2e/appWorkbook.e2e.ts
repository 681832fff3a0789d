import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellSel, dataColumnIds, screenshot } from './harness'
import { problemCount, tabs } from './reportsView'
import { openTwoPages, type TwoPages, withViewer } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser

describe('the workbook around the grid: viewers, presence, problems, share (real Chromium)', () => {
  beforeAll(async () => {
    t = await openTwoPages('appwb')
    ;({ a, b } = t)
  })
  afterAll(() => t?.close())

  it('shows the other person’s name on the cell they are on, and avatars by given name', async () => {
    const cols = await dataColumnIds(b.page)
    await b.page.locator(cellSel(2, cols[1]!)).click()
    const label = a.page.locator(`${cellSel(2, cols[1]!)} .tz-peer-label`)
    await label.waitFor({ timeout: 15_000 })
    expect(await label.textContent()).toBe('李强')
    // Visible without hovering (not only an outline).
    expect(Number(await label.evaluate((el) => getComputedStyle(el).opacity))).toBeGreaterThan(0.9)
    expect(await a.page.locator('.avatar[data-peer="李强"]').textContent()).toBe('强')
    expect(await a.page.locator('.avatar.me').textContent()).toBe('敏')
    await screenshot(a.page, 'app-presence.png')
  })

  it('counts and lists the problems of every sheet, grouped by sheet; a click jumps to the sheet', async () => {
    await tabs(a).first().click()
    const before = await problemCount(a)
    // A required reference cleared on the second sheet (指标 → 站点).
    await tabs(a).nth(1).click()
    const cols = await dataColumnIds(a.page)
    await a.page.locator(cellSel(0, cols[0]!)).click()
    await a.page.keyboard.press('Delete')
    await tabs(a).first().click()
    await a.page.waitForFunction(
      (n) =>
        Number(
          /\((\d+)\)/.exec(
            document.querySelector('[data-testid="problems-button"]')?.textContent ?? '',
          )?.[1],
        ) === n,
      before + 1,
      { timeout: 15_000 },
    )
    await a.page.getByTestId('problems-button').click()
    const group = a.page.locator('[data-testid="problem-group"]', { hasText: '指标' })
    await group.waitFor()
    expect(await group.locator('h4').textContent()).toContain('指标')
    await screenshot(a.page, 'app-problems.png')
    await group.locator('li button').first().click()
    await a.page.waitForFunction(
      () =>
        document.querySelector('[data-testid="sheet-tabs"] .tab.active')?.textContent === '指标',
      undefined,
      { timeout: 10_000 },
    )
    await a.page.getByTestId('problems-button').click()
  })

  it('a viewer is not offered 分享, undo or add-row; an editor’s bad share input gets a zh-CN message', async () => {
    await withViewer(t, 'appwb-viewer', async (v) => {
      await v.page.getByTestId('workbook').waitFor()
      await v.page.getByTestId('readonly-notice').waitFor({ timeout: 15_000 })
      await v.page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
      expect(await v.page.getByTestId('share').count()).toBe(0)
      expect(await v.page.getByTestId('undo').count()).toBe(0)
      expect(await v.page.getByTestId('add-row').count()).toBe(0)
      // An extension's button that read-only-ness disables is hidden too (CSV import).
      expect(await v.page.getByTestId('csv-import').isVisible()).toBe(false)
      expect(await v.page.getByTestId('problems-button').count()).toBe(1)
      await screenshot(v.page, 'app-viewer.png')
    })
    await a.page.getByTestId('share').click()
    const dialog = a.page.getByTestId('share-dialog')
    await dialog.locator('input[type="number"]').fill('400')
    await dialog.locator('button[type="submit"]').click()
    expect(await a.page.getByTestId('share-error').textContent()).toBe(
      '有效天数须在 1 到 365 天之间。',
    )
    await dialog.locator('input[type="number"]').fill('7')
    // attestation (issue 13 §4): the link carries a stable user id; one with a space is refused here.
    await dialog.getByTestId('share-user').fill('u wang')
    await dialog.locator('button[type="submit"]').click()
    expect(await a.page.getByTestId('share-error').textContent()).toBe(
      '用户编号不能含空格，最长 128 个字符。',
    )
    await dialog.getByTestId('share-user').fill('u-wang')
    await dialog.locator('button[type="submit"]').click()
    await a.page.getByTestId('share-url').waitFor()
    expect(await a.page.getByTestId('share-error').count()).toBe(0)
    const link = await a.page.getByTestId('share-url').inputValue()
    const tok = decodeURIComponent(link.split('token=')[1] ?? '')
    const claims = JSON.parse(Buffer.from(tok.split('.')[1] ?? '', 'base64url').toString('utf8'))
    expect(claims).toMatchObject({ u: 'u-wang' })
    await screenshot(a.page, 'share-user.png')
  })
})
