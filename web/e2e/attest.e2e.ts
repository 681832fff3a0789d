import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellValue,
  dataColumnIds,
  screenshot,
  typeInCell,
  waitSaved,
} from './harness'
import { editorLink, firstRowShown, openTwoPages, type TwoPages, waitBadge } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser
let col: string

/** Opens 单元格历史 for a cell (Ctrl+Alt+H) and returns its newest entry. */
async function openHistory(br: Browser, row: number) {
  await br.page.locator(cellSel(row, col)).click()
  await br.page.keyboard.press('Control+Alt+H')
  const top = br.page.getByTestId('cell-history').getByTestId('history-item').first()
  await top.waitFor({ timeout: 15_000 })
  return top
}

async function closeHistory(br: Browser) {
  await br.page.getByTestId('cell-history').getByText('关闭').click()
}

describe('issue 13 §4: the history names the author the server vouches for (real server, two Chromium pages)', () => {
  beforeAll(async () => {
    // B calls itself 王敏 too: a self-chosen name proves nothing.
    t = await openTwoPages('attest', { b: { name: '王敏', color: '#d97706' }, openB: false })
    ;({ a, b } = t)
    await a.page.goto(await editorLink(t, 'u-wang', '王站长'))
    await a.page.getByTestId('workbook').waitFor()
    // Only a hash change on the open page: reload, so the session connects with A's own link.
    await a.page.reload()
    await a.page.getByTestId('workbook').waitFor()
    await b.page.goto(await editorLink(t, 'u-li', '李强'))
    await b.page.getByTestId('workbook').waitFor()
    await firstRowShown(b.page)
    await firstRowShown(a.page)
    col = (await dataColumnIds(b.page))[0]!
    await b.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
  })
  afterAll(() => t?.close())

  it('an online edit shows the token’s name (not the self-chosen one) on both pages, and the row history is attested too', async () => {
    await typeInCell(b.page, 1, col, '李强改的')
    await waitSaved(b.page, { synced: true })
    const top = await openHistory(b, 1)
    const author = top.getByTestId('attest-author')
    await author.waitFor({ timeout: 15_000 })
    expect(await author.textContent()).toContain('李强')
    expect(await author.getAttribute('title')).toContain('u-li')
    expect(await top.getByTestId('attest-claimed').textContent()).toContain('王敏')
    // Received at once: one time, not two.
    expect(await top.getByTestId('attest-times').count()).toBe(0)
    expect(await top.getByTestId('attest-pending').count()).toBe(0)
    // The row's insert (the demo, made through the server's first-run link) is attested as well.
    const insert = b.page.getByTestId('cell-history').locator('[data-testid="row-event"]').last()
    expect(await insert.getAttribute('data-kind')).toBe('insert')
    await insert.getByTestId('attest-author').waitFor()
    await screenshot(b.page, 'attest-online.png')
    await closeHistory(b)

    // A (whose self-chosen name is also 王敏) sees 李强 as the author.
    const onA = await openHistory(a, 1)
    await a.page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="cell-history"] [data-testid="history-value"]')
          ?.textContent?.includes('李强改的') ?? false,
      undefined,
      { timeout: 15_000 },
    )
    expect(await onA.getByTestId('attest-author').textContent()).toContain('李强')
    await closeHistory(a)
  })

  it('an offline edit is 待服务器确认 until synced, then shows both the device time and the server time', async () => {
    await b.context.setOffline(true)
    await waitBadge(b, 'offline')
    // The edit is made "five hours ago" on the device's clock (as if offline since then).
    const fiveHoursAgo = Date.now() - 5 * 3_600_000
    await b.page.clock.setFixedTime(fiveHoursAgo)
    await typeInCell(b.page, 2, col, '离线改的')
    await waitSaved(b.page)
    const top = await openHistory(b, 2)
    const pending = top.getByTestId('attest-pending')
    await pending.waitFor()
    expect(await pending.textContent()).toBe('待服务器确认')
    await screenshot(b.page, 'attest-pending.png')
    await b.page.clock.setFixedTime(Date.now())
    await b.context.setOffline(false)
    await waitSaved(b.page, { synced: true })
    const times = top.getByTestId('attest-times')
    await times.waitFor({ timeout: 15_000 })
    const text = (await times.textContent()) ?? ''
    expect(text).toMatch(/^离线时 \d+月\d+日 \d\d:\d\d 修改，\d+月\d+日 \d\d:\d\d 同步$/)
    expect(await top.getByTestId('attest-pending').count()).toBe(0)
    expect(await top.getByTestId('attest-author').textContent()).toContain('李强')
    await screenshot(b.page, 'attest-both-times.png')
    await closeHistory(b)
    // The other page shows the same two times.
    const onA = await openHistory(a, 2)
    await onA.getByTestId('attest-times').waitFor({ timeout: 15_000 })
    expect(await onA.getByTestId('attest-times').textContent()).toBe(text)
    await screenshot(a.page, 'attest-other-page.png')
    await closeHistory(a)
  })

  it('the conflict inbox names the losing edit’s author as the token says (both call themselves 王敏)', async () => {
    await b.context.setOffline(true)
    await waitBadge(b, 'offline')
    await typeInCell(b.page, 4, col, 'B的值')
    await typeInCell(a.page, 4, col, 'A的值')
    await waitSaved(a.page, { synced: true })
    await b.context.setOffline(false)
    await waitSaved(b.page, { synced: true })
    await expect
      .poll(async () => (await cellValue(a.page, 4, col)) === (await cellValue(b.page, 4, col)), {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(true)
    const aLost = (await cellValue(a.page, 4, col)) === 'B的值'
    const loser = aLost ? a : b
    await loser.page.getByTestId('conflicts-button').click()
    const lost = loser.page.getByTestId('conflict-inbox').getByTestId('conflict-lost').first()
    await lost.waitFor({ timeout: 15_000 })
    const text = (await lost.textContent()) ?? ''
    expect(text).toContain(aLost ? 'A的值' : 'B的值')
    // The token names (王站长 for A, 李强 for B), never the self-chosen 王敏 both pages use.
    expect(text).toContain(aLost ? '王站长' : '李强')
    expect(text).not.toContain('王敏')
    await screenshot(loser.page, 'attest-inbox.png')
  })
})
