import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, clickToolbar, screenshot, waitSaved } from './harness'
import { editorLink, firstRowShown, openTwoPages, type TwoPages } from './twoPages'

/**
 * issue 13 §2/§4 (attest): who deleted a column or a sheet is the name the server vouches for.
 * A's token says 张三 (u-zhang); A's app calls itself 局长. B (李强) opens the trash.
 */
let t: TwoPages
let a: Browser
let b: Browser

/** The trash's "deleted by" line of the entry `testId` whose text contains `label`. */
function deletedLine(br: Browser, testId: string, label: string) {
  return br.page
    .getByTestId('trash-panel')
    .getByTestId(testId)
    .filter({ hasText: label })
    .getByTestId('trash-deleted')
}

describe('issue 13 §4: the trash names who deleted a column or a sheet as the token says (real server, two pages)', () => {
  beforeAll(async () => {
    t = await openTwoPages('attest-trash', {
      a: { name: '局长', color: '#2563eb' },
      openB: false,
    })
    ;({ a, b } = t)
    await a.page.goto(await editorLink(t, 'u-zhang', '张三'))
    await a.page.getByTestId('workbook').waitFor()
    // Only a hash change on the open page: reload, so the session connects with A's own link.
    await a.page.reload()
    await a.page.getByTestId('workbook').waitFor()
    await firstRowShown(a.page)
    await b.page.goto(await editorLink(t, 'u-li', '李强'))
    await b.page.getByTestId('workbook').waitFor()
    await firstRowShown(b.page)
  })
  afterAll(() => t?.close())

  it('A deletes a column and a sheet; both pages name 张三 (局长 only as the self-chosen name)', async () => {
    const page = a.page
    page.on('dialog', (d) => void d.accept())
    // The column 类型 of the first sheet, through the column panel.
    await page.locator('[data-command="panel.columns"]').click()
    const panel = page.getByTestId('column-panel')
    await panel.locator('.col-row .link', { hasText: '类型' }).click()
    await panel.getByRole('button', { name: '删除列', exact: true }).click()
    await panel.locator('.col-row .link', { hasText: '类型' }).waitFor({ state: 'detached' })
    await panel.getByRole('button', { name: '关闭', exact: true }).first().click()
    // The sheet 地区, through its tab's menu.
    await page.locator('[data-testid="sheet-tabs"] .tab', { hasText: '地区' }).click({
      button: 'right',
    })
    await page.getByRole('menuitem', { name: '删除工作表', exact: true }).click()
    await page
      .locator('[data-testid="sheet-tabs"] .tab', { hasText: '地区' })
      .waitFor({ state: 'detached' })
    await waitSaved(page, { synced: true })

    for (const br of [b, a]) {
      await clickToolbar(br.page, 'trash-button')
      const col = deletedLine(br, 'trash-column', '类型')
      const sheet = deletedLine(br, 'trash-sheet', '地区')
      for (const line of [col, sheet]) {
        // 待服务器确认 until the server's receipt (and, on A, the acknowledgement) arrives.
        await expect
          .poll(() => line.getAttribute('data-status'), { timeout: 20_000, interval: 100 })
          .toBe('attested')
        const text = (await line.textContent()) ?? ''
        expect(text).toMatch(/^张三（自称“局长”） 于 .+ 删除$/)
      }
      await screenshot(br.page, `attest-trash-${br === a ? 'a' : 'b'}.png`)
    }
  })
})
