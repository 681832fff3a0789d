/**
 * issue 16 §3 in the browser (access-client): undo goes through the same local check as every
 * other write. A station clerk (scoped-editor token) edits July; the approver 张三 locks July in
 * 报表 → 完成情况 on the second page; the clerk's Ctrl+Z is not applied: the value stays on both
 * pages, a toast says 无法撤销：2024年7月已被锁定（张三，…）, and nothing reaches the server (its
 * refused-updates metric stays 0, no 未被接受的修改). After the reopen the kept step undoes.
 * Also: neither the scoped editor nor the approver is offered 分享 (the server mints for neither).
 * The workbook is built by a headless real y-websocket client with the owner's token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AccessPages, mintCli, openAccessPages } from './accessPages'
import { type Browser, cellSel, type Server, screenshot, typeInCell, waitForCell } from './harness'
import { waitBadge } from './twoPages'

const workbookId = 'acc-undo-e2e'

/** The sum of the server's refused-update counters over every reason. */
async function rejectedTotal(server: Server): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  let n = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('taizhang_updates_rejected_total{')) n += Number(line.split(' ').at(-1))
  }
  return n
}

let server: Server
let clerk: Browser
let approver: Browser
let t: AccessPages
const ids = { served: '', a6: '', a7: '' }

const badge = (br: Browser, state: string) => waitBadge(br, state, 60_000)

/** The approver locks (or reopens) July in 报表 → 完成情况. */
async function setJulyLock(locked: boolean) {
  const p = approver.page
  await p.getByTestId('reports-open').click()
  await p.getByTestId('reports-tab-completeness').click()
  const row = p
    .getByTestId('period-locks')
    .first()
    .locator('tr[data-period]')
    .filter({ hasText: '2024年7月' })
  await row.getByTestId(locked ? 'period-lock' : 'period-reopen').click()
  await p.waitForFunction(
    ({ want }) =>
      [...document.querySelectorAll('[data-testid="period-locks"] tr[data-period]')].some(
        (tr) => tr.textContent?.includes('2024年7月') && tr.getAttribute('data-locked') === want,
      ),
    { want: locked ? '1' : '0' },
    { timeout: 30_000 },
  )
  await p.getByTestId('reports-close').click()
}

/** Waits until the clerk's July cell shows (or no longer shows) the lock. */
const julyLocked = (locked: boolean) =>
  clerk.page.waitForFunction(
    ({ sel, want }) => document.querySelector(sel)?.classList.contains('tz-locked') === want,
    { sel: cellSel(1, ids.served), want: locked },
    { timeout: 60_000, polling: 100 },
  )

/** Gives the clerk's grid the keyboard (a click on June's cell) and presses Ctrl+Z. */
async function pressUndo() {
  await clerk.page.locator(cellSel(0, ids.served)).click()
  await clerk.page.keyboard.press('Control+z')
}

describe('issue 16 §3: undo is checked locally against locks (two pages, real server)', () => {
  beforeAll(async () => {
    t = await openAccessPages(workbookId, 'acc-undo-clerk', {
      profile: 'acc-undo-approver',
      identity: { name: '张三', color: '#d97706' },
      token: (server) => mintCli(server, ['--role', 'approver', '--name', '张三']),
    })
    ;({ server, clerk, other: approver } = t)
    ids.served = t.ledger.cols.served
    ;[ids.a6, ids.a7] = t.ledger.rowIds as [string, string]
  })

  afterAll(() => t?.close())

  it('neither a scoped editor nor an approver is offered 分享', async () => {
    expect(await clerk.page.getByTestId('share').count()).toBe(0)
    expect(await approver.page.getByTestId('share').count()).toBe(0)
    await screenshot(clerk.page, 'access-scoped-toolbar-zh.png')
  })

  it('Ctrl+Z of the clerk’s July edit after 张三 locked July: not applied, toast, nothing sent; undone after the reopen', async () => {
    const page = clerk.page
    await typeInCell(page, 1, ids.served, '30')
    await waitForCell(approver.page, 1, ids.served, '30', 30_000)
    await badge(clerk, 'synced')
    expect(await rejectedTotal(server)).toBe(0)

    await setJulyLock(true)
    await julyLocked(true)
    await pressUndo()
    const toast = (text: string) => page.locator('.toast[role="status"]', { hasText: text })
    await toast('无法撤销').waitFor({ timeout: 30_000 })
    expect(await toast('无法撤销').textContent()).toMatch(
      /^无法撤销：2024年7月已被锁定（张三，\d{4}-\d\d-\d\d \d\d:\d\d）。这一步已保留，重新开放后可再撤销。$/,
    )
    await screenshot(page, 'access-undo-refused-zh.png')
    await waitForCell(page, 1, ids.served, '30', 5_000)

    // An allowed edit after the Ctrl+Z travels the same socket: once the approver has it, an undo
    // sent before it would have reached the server too (and been refused and counted).
    await typeInCell(page, 0, ids.served, '41')
    await waitForCell(approver.page, 0, ids.served, '41', 30_000)
    await badge(clerk, 'synced')
    await waitForCell(approver.page, 1, ids.served, '30', 5_000)
    expect(await rejectedTotal(server)).toBe(0)
    expect(await page.getByTestId('refused-toast').count()).toBe(0)

    // English: the same refusal in the other catalog.
    await page.getByTestId('lang-switch').click()
    await page.locator(cellSel(1, ids.served)).click()
    // June's edit is on top now; undo it (allowed), then July's is next (refused).
    await page.keyboard.press('Control+z')
    await waitForCell(approver.page, 0, ids.served, '40', 30_000)
    await page.keyboard.press('Control+z')
    await toast('Cannot undo').waitFor({ timeout: 30_000 })
    expect(await toast('Cannot undo').textContent()).toMatch(
      /^Cannot undo: 2024-07 is locked \(张三, \d{4}-\d\d-\d\d \d\d:\d\d\)\. The step is kept/,
    )
    await screenshot(page, 'access-undo-refused-en.png')
    await screenshot(page, 'access-scoped-toolbar-en.png')
    expect(await page.getByTestId('share').count()).toBe(0)
    await page.getByTestId('lang-switch').click()

    // The bureau reopens July: the kept step undoes (3 again on both pages).
    await setJulyLock(false)
    await julyLocked(false)
    await page.locator(cellSel(0, ids.served)).click()
    await page.keyboard.press('Control+z')
    await waitForCell(page, 1, ids.served, '3', 20_000)
    await waitForCell(approver.page, 1, ids.served, '3', 30_000)
    await badge(clerk, 'synced')
    expect(await rejectedTotal(server)).toBe(0)
  })
})
