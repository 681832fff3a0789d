import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellValue,
  dataColumnIds,
  screenshot,
  typeInCell,
  waitForCell,
  waitSaved,
} from './harness'
import { openTwoPages, type TwoPages, waitBadge, withViewer } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser
let col: string

describe('issue 13: nothing overwritten goes unseen (two real Chromium pages, real server)', () => {
  beforeAll(async () => {
    t = await openTwoPages('hist')
    ;({ a, b } = t)
    col = (await dataColumnIds(a.page))[0]!
    // The service worker must be installed before B goes offline (an install cut off by the
    // network going away leaves none, and B's offline reload would fail).
    await b.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
  })
  afterAll(() => t?.close())

  it('same-cell race: the loser is told at once, sees the marker, restores its value from the inbox; the other page sees it live; a viewer sees history and inbox without restore buttons', async () => {
    // B offline, A online: both write row 0's first cell without seeing each other.
    await b.context.setOffline(true)
    await waitBadge(b, 'offline')
    await typeInCell(b.page, 0, col, '202')
    await typeInCell(a.page, 0, col, '101')
    await waitSaved(a.page, { synced: true })
    await b.context.setOffline(false)
    await waitSaved(b.page, { synced: true })
    // Yjs picks one winner, the same on both pages: wait until both show it.
    let winner = ''
    for (let i = 0; i < 100; i++) {
      const va = await cellValue(a.page, 0, col)
      const vb = await cellValue(b.page, 0, col)
      if (va === vb && (va === '101' || va === '202')) {
        winner = va
        break
      }
      await a.page.waitForTimeout(100)
    }
    expect(['101', '202']).toContain(winner)
    const [loser, other, lostValue] = winner === '101' ? [b, a, '202'] : [a, b, '101']

    // Both pages mark the cell; its tooltip names the losing value and who wrote it.
    for (const p of [a, b]) {
      const mark = p.page.locator(`${cellSel(0, col)} .tz-conflict`)
      await mark.waitFor({ timeout: 15_000 })
      const title = (await mark.getAttribute('title')) ?? ''
      expect(title).toContain(lostValue)
      expect(title).toContain(loser === a ? '王敏' : '李强')
      expect(await p.page.locator(`${cellSel(0, col)} .tz-unacked`).count()).toBe(0)
    }
    // The loser is told at once, and the toast links to the inbox filtered to them.
    const toast = loser.page.getByTestId('conflict-toast')
    await toast.waitFor({ timeout: 15_000 })
    expect(await toast.textContent()).toContain('你有 1 处修改与他人同时修改同一单元格，已被覆盖')
    expect(await other.page.getByTestId('conflict-toast').count()).toBe(0)
    await screenshot(loser.page, 'history-toast.png')
    await loser.page.getByTestId('conflict-toast-view').click()
    const inbox = loser.page.getByTestId('conflict-inbox')
    await inbox.waitFor()
    expect(await inbox.getByTestId('conflict-mine').isChecked()).toBe(true)
    const item = inbox.getByTestId('conflict-item')
    expect(await item.count()).toBe(1)
    expect(await item.getByTestId('conflict-lost').textContent()).toContain(lostValue)
    expect(await item.getByTestId('conflict-current').textContent()).toContain(winner)
    await screenshot(loser.page, 'history-inbox.png')

    // A viewer sees the inbox and the cell's history, but no button that writes.
    await withViewer(t, 'hist-viewer', async (v) => {
      await v.page.getByTestId('readonly-notice').waitFor({ timeout: 15_000 })
      await v.page.locator(`${cellSel(0, col)} .tz-conflict`).waitFor({ timeout: 20_000 })
      await v.page.getByTestId('conflicts-button').click()
      const vInbox = v.page.getByTestId('conflict-inbox')
      await vInbox.getByTestId('conflict-item').first().waitFor()
      expect(await vInbox.getByTestId('conflict-adopt').count()).toBe(0)
      expect(await vInbox.getByTestId('conflict-keep').count()).toBe(0)
      await v.page.locator(cellSel(0, col)).click()
      await v.page.keyboard.press('Control+Alt+H')
      const hist = v.page.getByTestId('cell-history')
      await hist.getByTestId('history-item').first().waitFor()
      const values = await hist.getByTestId('history-value').allTextContents()
      expect(values).toContain('101')
      expect(values).toContain('202')
      expect(await hist.locator('.history-lost-item').count()).toBe(1)
      expect(await hist.getByTestId('history-restore').count()).toBe(0)
      await screenshot(v.page, 'history-viewer.png')
    })

    // 采用此值: the loser's value comes back as a new edit, seen live on the other page.
    await item.getByTestId('conflict-adopt').click()
    await waitForCell(loser.page, 0, col, lostValue)
    await waitForCell(other.page, 0, col, lostValue, 15_000)
    await inbox.getByText('没有未处理的冲突').waitFor()
    await other.page.waitForFunction(
      (sel) => !document.querySelector(`${sel} .tz-conflict`),
      cellSel(0, col),
      { timeout: 15_000 },
    )
    // The other page's cell history shows the restore, by the loser.
    await other.page.locator(cellSel(0, col)).click({ button: 'right' })
    await other.page.getByText('单元格历史').click()
    const top = other.page.getByTestId('cell-history').getByTestId('history-item').first()
    await top.waitFor()
    expect(await top.getAttribute('data-how')).toBe('conflict-restore')
    await screenshot(other.page, 'history-panel.png')
    // Leave both pages with no side panel open for the next story.
    await other.page.getByTestId('cell-history').getByText('关闭').click()
    await inbox.getByText('关闭').click()
  })

  it('offline: B edits a cell A changes online, reloads offline, comes back online, is told and restores its value from the cell history', async () => {
    // Which of two concurrent writes wins is Yjs's choice (the higher client id, new at every
    // load): both pages reload each round, and rows are tried until B's value is the one that
    // lost, as in the story (each round is a fair coin: 1 in 2^10 to run out).
    let row = -1
    for (let r = 3; r < 13 && row < 0; r++) {
      await a.page.reload()
      await a.page.locator(cellSel(r, col)).waitFor({ timeout: 20_000 })
      await b.context.setOffline(true)
      await waitBadge(b, 'offline')
      await typeInCell(b.page, r, col, `离线88-${r}`)
      await waitSaved(b.page)
      await typeInCell(a.page, r, col, `在线55-${r}`)
      await waitSaved(a.page, { synced: true })
      await b.page.reload()
      await b.page.getByTestId('workbook').waitFor({ timeout: 15_000 })
      await waitForCell(b.page, r, col, `离线88-${r}`, 15_000)
      await b.context.setOffline(false)
      await waitSaved(b.page, { synced: true })
      // B's acknowledgement can come before A has shown B's upload (the server broadcasts it to A
      // first, but A applies and renders it in its own time): wait until both pages agree rather
      // than reading A's cell once (a stale read of A failed here once under load).
      await expect
        .poll(async () => (await cellValue(a.page, r, col)) === (await cellValue(b.page, r, col)), {
          timeout: 15_000,
          interval: 100,
        })
        .toBe(true)
      if ((await cellValue(b.page, r, col)) === `在线55-${r}`) row = r
      else {
        // B won this one: A is told instead; settle it so the next round starts clean.
        await a.page.getByTestId('conflict-toast').waitFor({ timeout: 15_000 })
        if ((await a.page.getByTestId('conflict-inbox').count()) === 0)
          await a.page.getByTestId('conflicts-button').click()
        await a.page.getByTestId('conflict-keep').first().click()
        await a.page.getByTestId('conflict-inbox').getByText('关闭').click()
      }
    }
    expect(row).toBeGreaterThanOrEqual(3)
    const toast = b.page.getByTestId('conflict-toast')
    await toast.waitFor({ timeout: 15_000 })
    expect(await toast.textContent()).toContain('你有 1 处修改')
    await b.page.locator(`${cellSel(row, col)} .tz-conflict`).waitFor()
    // 单元格历史 from the context menu: B's value is there, marked as overwritten, with 恢复.
    await b.page.locator(cellSel(row, col)).click({ button: 'right' })
    await b.page.getByText('单元格历史').click()
    const lost = b.page.getByTestId('cell-history').locator('.history-lost-item')
    await lost.waitFor()
    expect(await lost.getByTestId('history-value').textContent()).toBe(`离线88-${row}`)
    await screenshot(b.page, 'history-offline.png')
    await lost.getByTestId('history-restore').click()
    await waitForCell(b.page, row, col, `离线88-${row}`)
    await waitForCell(a.page, row, col, `离线88-${row}`, 15_000)
    const top = b.page.getByTestId('cell-history').getByTestId('history-item').first()
    expect(await top.getAttribute('data-how')).toBe('restore')
    await b.page.getByTestId('cell-history').getByText('关闭').click()
  })

  it('a row A deletes while B edits it offline is in the trash with B’s edit, and comes back with it', async () => {
    const r = 15
    const name = (await cellValue(a.page, r, col)) ?? ''
    const other = (await dataColumnIds(a.page))[1]!
    await b.context.setOffline(true)
    await waitBadge(b, 'offline')
    await typeInCell(b.page, r, other, '离线改的省')
    await waitSaved(b.page)
    await a.page.locator(cellSel(r, col)).click({ button: 'right' })
    await a.page.getByText('删除行').click()
    await waitSaved(a.page, { synced: true })
    await b.context.setOffline(false)
    await waitSaved(b.page, { synced: true })
    // The delete wins on both pages: the row is gone, and the trash holds it with B's edit.
    for (const p of [a, b]) {
      await p.page.waitForFunction(
        ([sel, n]) => document.querySelector(sel!)?.textContent?.trim() !== n,
        [cellSel(r, col), name] as const,
        { timeout: 15_000 },
      )
      await p.page.getByTestId('trash-button').click()
      const row = p.page.getByTestId('trash-row').filter({ hasText: name })
      await row.waitFor({ timeout: 15_000 })
      expect(await row.textContent()).toContain('王敏')
      expect(await row.getByTestId('trash-edits').textContent()).toContain('离线改的省')
      expect(await row.getByTestId('trash-edits').textContent()).toContain('李强')
    }
    await screenshot(b.page, 'history-trash.png')
    await b.page
      .getByTestId('trash-row')
      .filter({ hasText: name })
      .getByTestId('trash-restore-row')
      .click()
    for (const p of [a, b]) {
      await waitForCell(p.page, r, col, name, 15_000)
      await waitForCell(p.page, r, other, '离线改的省', 15_000)
    }
  })
})
