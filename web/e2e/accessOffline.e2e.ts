/**
 * issue 16 §3 in the browser: a station clerk (scoped-editor token) edits June and July offline
 * while the bureau locks June; back online the server refuses the clerk's update, the clerk's page
 * rebuilds its doc from the server's state, keeps (and syncs) the July edit, and lists the June edit
 * under 未被接受的修改; the bureau reopens June and the clerk re-applies it. The bureau's page (owner
 * token) watches the data arrive. The workbook is built, locked and reopened by a headless real
 * y-websocket client with the owner's token (the lock UI is access-ui's, built in parallel).
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setPeriodLock, type Workbook } from '../../shared/src/index.js'
import { type AccessPages, openAccessPages, STATION, until } from './accessPages'
import { type Browser, screenshot, typeInCell, waitForCell, waitSaved } from './harness'
import { waitBadge } from './twoPages'

let clerk: Browser
let bureau: Browser
let t: AccessPages
let owner: AccessPages['owner']
let wb: Workbook
const ids = { sheet: '', served: '', a6: '', a7: '' }
const workbookId = 'acc-offline-e2e'

const badge = (br: Browser, state: string) => waitBadge(br, state, 60_000)

describe('issue 16 §3: a refused offline edit is rebuilt around, listed and re-applied (two pages)', () => {
  beforeAll(async () => {
    t = await openAccessPages(workbookId, 'acc-clerk', {
      profile: 'acc-bureau',
      identity: { name: '民政局', color: '#d97706' },
      token: (_server, ownerToken) => ownerToken,
    })
    ;({ owner, clerk, other: bureau } = t)
    wb = t.ledger.wb
    ids.sheet = t.ledger.m.id
    ids.served = t.ledger.cols.served
    ;[ids.a6, ids.a7] = t.ledger.rowIds as [string, string]
  })

  afterAll(() => t?.close())

  it('the June edit is refused and listed, July is kept and synced; re-applied after reopening', async () => {
    const page = clerk.page
    await clerk.context.setOffline(true)
    await badge(clerk, 'offline')
    await typeInCell(page, 0, ids.served, '41') // June: the bureau locks it meanwhile
    await typeInCell(page, 1, ids.served, '30') // July: stays open
    await waitSaved(page)

    setPeriodLock(wb, ids.sheet, '2024-06', { locked: true, by: '审核员', at: Date.now() })
    await owner.acked()

    await clerk.context.setOffline(false)
    // The server refuses the offline update; the page rebuilds from the server's state and reloads.
    await page.getByTestId('refused-toast').waitFor({ timeout: 60_000 })
    await badge(clerk, 'synced')
    const m = () => wb.sheet(ids.sheet)
    await until(() => m().getCell(ids.a7, ids.served) === 30, 30_000, 'July edit on the server')
    expect(m().getCell(ids.a6, ids.served)).toBe(40)
    await page.getByTestId('sheet-tabs').getByText('指标', { exact: true }).click()
    await waitForCell(page, 1, ids.served, '30', 20_000)
    await waitForCell(page, 0, ids.served, '40', 20_000)
    await waitForCell(bureau.page, 1, ids.served, '30', 20_000)
    await screenshot(page, 'access-refused-toast.png')

    // 更多 → 未被接受的修改 opens the list too (at 1280 px the entry sits in the overflow menu).
    await page.getByTestId('toolbar-more').click()
    await page
      .getByTestId('context-menu')
      .getByRole('menuitem', { name: /未被接受的修改/ })
      .click()
    await page.getByTestId('refused-dialog').waitFor()
    await page.getByRole('button', { name: '关闭' }).click()
    await page.getByTestId('refused-toast').getByRole('button').click()
    const items = page.getByTestId('refused-item')
    await items.first().waitFor()
    expect(await items.count()).toBe(1)
    expect(await items.first().getAttribute('data-reason')).toBe('period-locked')
    const text = (await items.first().textContent()) ?? ''
    expect(text).toContain('指标')
    expect(text).toContain('服务人次')
    expect(text).toContain(STATION)
    expect(text).toContain('2024-06')
    expect(text).toContain('41')
    expect(text).toContain('该期间已锁定')
    await screenshot(page, 'access-refused-list.png')

    // 导出 CSV: the same what/where/why, UTF-8 with a BOM.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('refused-export').click(),
    ])
    const csv = readFileSync((await download.path()) as string, 'utf8')
    expect(download.suggestedFilename()).toMatch(/^未被接受的修改-月报\.csv$/)
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('表,行,列,服务器上的值,你的修改,原因,时间')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(`指标,第 1 行 · ${STATION} · 2024-06,服务人次,40,41,该期间已锁定`)

    // Still locked: re-applying keeps it in the list with its reason.
    await page.getByTestId('refused-reapply').first().click()
    await page.getByTestId('refused-note').waitFor()
    expect(await items.count()).toBe(1)

    // The bureau reopens June; once the clerk's page has it, re-applying writes the edit.
    setPeriodLock(wb, ids.sheet, '2024-06', { locked: false, by: '审核员', at: Date.now() })
    await owner.acked()
    // The reopen reaches the page through the server; until it has, re-applying is refused again.
    for (let i = 0; ; i++) {
      await page.getByTestId('refused-reapply-all').click()
      const empty = await page
        .getByTestId('refused-empty')
        .waitFor({ timeout: 2000 })
        .then(() => true)
        .catch(() => false)
      if (empty) break
      if (i >= 15) throw new Error('re-applying June never succeeded after the reopen')
    }
    await until(() => m().getCell(ids.a6, ids.served) === 41, 30_000, 'June edit on the server')
    await waitForCell(bureau.page, 0, ids.served, '41', 20_000)
    await badge(clerk, 'synced')
    expect(await page.getByTestId('refused-toast').count()).toBe(0)
  })
})
