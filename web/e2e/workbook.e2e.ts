import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellText,
  createWorkbook,
  dataColumnIds,
  gridSnapshot,
  openBrowser,
  type Server,
  screenshot,
  typeInCell,
  waitForCell,
  waitSaved,
} from './harness'
import { openTwoPages, type TwoPages, waitBadge, withViewer } from './twoPages'

const A_COLOR = '#2563eb'
const B_COLOR = '#d97706'

let t: TwoPages
let server: Server
let a: Browser
let b: Browser
let cols: string[]

async function badgeState(br: Browser): Promise<string | null> {
  return br.page.getByTestId('status-badge').getAttribute('data-state')
}

/** Every edited cell carries the "not yet on the server" marker. */
async function waitForUnacked(br: Browser, cells: [number, string, string][]): Promise<void> {
  const sels = cells.map(([r, c]) => `${cellSel(r, c)} .tz-unacked`)
  try {
    await br.page.waitForFunction((ss) => ss.every((s) => document.querySelector(s)), sels, {
      timeout: 5000,
    })
  } catch (e) {
    const missing = await br.page.evaluate(
      (ss) => ss.filter((s) => !document.querySelector(s)),
      sels,
    )
    throw new Error(`cells without the unacknowledged marker: ${missing.join(', ')}; ${String(e)}`)
  }
}

describe('the workbook in two browsers (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openTwoPages('wb', {
      a: { name: '张三', color: A_COLOR },
      b: { name: '李四', color: B_COLOR },
    })
    ;({ server, a, b } = t)
    cols = await dataColumnIds(a.page)
    await waitBadge(b, 'synced')
  })

  afterAll(() => t?.close())

  it('1. each edits a different cell of the same row; both see both within 2 s', async () => {
    await typeInCell(a.page, 0, cols[1]!, 'A改的省份')
    await typeInCell(b.page, 0, cols[2]!, 'B改的区县')
    const t0 = Date.now()
    await Promise.all([
      waitForCell(a.page, 0, cols[2]!, 'B改的区县', 2000),
      waitForCell(b.page, 0, cols[1]!, 'A改的省份', 2000),
    ])
    expect(Date.now() - t0).toBeLessThan(2000)
    await screenshot(a.page, '1-two-editors-a.png')
    await screenshot(b.page, '1-two-editors-b.png')
  })

  it('2. B sees A’s selection outlined in A’s colour, with A’s name', async () => {
    await a.page.locator(cellSel(2, cols[3]!)).click()
    const peer = b.page.locator(`${cellSel(2, cols[3]!)} .tz-peer`)
    await peer.waitFor({ timeout: 5000 })
    expect(await peer.getAttribute('title')).toBe('张三')
    const color = await peer.evaluate((el) => getComputedStyle(el).borderTopColor)
    expect(color).toBe('rgb(37, 99, 235)')
    await peer.hover()
    await screenshot(b.page, '2-remote-selection.png')
  })

  it('3. B edits 20 cells offline, reloads offline, keeps them, then converges and reaches 已同步', async () => {
    // The service worker must be in control before the network goes away.
    await b.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await b.context.setOffline(true)
    await waitBadge(b, 'offline', 5000)
    const edits: [number, string, string][] = []
    for (let i = 0; i < 10; i++) {
      edits.push([3 + i, cols[1]!, `离线省${i}`])
      edits.push([3 + i, cols[2]!, `离线区${i}`])
    }
    for (const [row, col, text] of edits) await typeInCell(b.page, row, col, text)
    await waitSaved(b.page)
    await waitForUnacked(b, edits)
    await b.page.reload()
    await b.page.getByTestId('workbook').waitFor({ timeout: 15_000 })
    await b.page.locator(cellSel(0, cols[0]!)).waitFor()
    for (const [row, col, text] of edits) expect(await cellText(b.page, row, col)).toBe(text)
    expect(await badgeState(b)).toBe('offline')
    expect(
      Number(await b.page.getByTestId('status-badge').getAttribute('data-pending')),
    ).toBeGreaterThanOrEqual(20)
    await waitForUnacked(b, edits)
    await screenshot(b.page, '3-offline-after-reload.png')

    await b.context.setOffline(false)
    await waitBadge(b, 'synced', 20_000)
    for (const [row, col, text] of edits) await waitForCell(a.page, row, col, text, 10_000)
    expect(await b.page.locator('.tz-unacked').count()).toBe(0)
    expect(await gridSnapshot(b.page)).toBe(await gridSnapshot(a.page))
    await screenshot(b.page, '3-back-online-synced.png')
  })

  it('4. a viewer cannot edit and sees 只读', async () => {
    await withViewer(t, 'viewer', async (v) => {
      await v.page.getByTestId('workbook').waitFor()
      await v.page.locator(cellSel(0, cols[1]!)).waitFor({ timeout: 15_000 })
      await expect(v.page.getByTestId('readonly-notice').textContent()).resolves.toBe('只读')
      const before = await cellText(v.page, 0, cols[1]!)
      await v.page.locator(cellSel(0, cols[1]!)).dblclick()
      await v.page.keyboard.type('不该写入')
      await v.page.keyboard.press('Enter')
      expect(await v.page.locator('.tz-editor').count()).toBe(0)
      expect(await cellText(v.page, 0, cols[1]!)).toBe(before)
      // The address bar no longer shows the token.
      expect(v.page.url()).not.toContain('token=')
      await screenshot(v.page, '4-viewer-readonly.png')
    })
  })

  it('5. undo in A reverts only A’s edit, not B’s', async () => {
    const row = 14
    const before = await cellText(a.page, row, cols[1]!)
    await typeInCell(a.page, row, cols[1]!, 'A的修改')
    await typeInCell(b.page, row, cols[2]!, 'B的修改')
    await waitForCell(a.page, row, cols[2]!, 'B的修改')
    await waitForCell(b.page, row, cols[1]!, 'A的修改')
    await a.page.locator(cellSel(row, cols[3]!)).click()
    await a.page.keyboard.press('Control+z')
    await waitForCell(a.page, row, cols[1]!, before)
    await waitForCell(b.page, row, cols[1]!, before)
    expect(await cellText(a.page, row, cols[2]!)).toBe('B的修改')
    expect(await cellText(b.page, row, cols[2]!)).toBe('B的修改')
    await screenshot(a.page, '5-undo-own-edit.png')
  })

  it('6. paste a 3×3 TSV block, then copy it back out', async () => {
    const originals = [await cellText(a.page, 16, cols[1]!), await cellText(a.page, 18, cols[3]!)]
    const tsv = '甲1\t乙1\t丙1\r\n甲2\t乙2\t丙2\r\n甲3\t乙3\t丙3\r\n'
    await a.page.locator(cellSel(16, cols[1]!)).click()
    await a.page.evaluate((text) => {
      const dt = new DataTransfer()
      dt.setData('text/plain', text)
      const target = document.activeElement ?? document.body
      target.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
      )
    }, tsv)
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        await waitForCell(a.page, 16 + r, cols[1 + c]!, `${'甲乙丙'[c]}${r + 1}`)
        await waitForCell(b.page, 16 + r, cols[1 + c]!, `${'甲乙丙'[c]}${r + 1}`)
      }
    }
    const copied = await a.page.evaluate(() => {
      let out = ''
      const grab = (e: ClipboardEvent) => {
        out = e.clipboardData?.getData('text/plain') ?? ''
      }
      document.addEventListener('copy', grab)
      const target = document.activeElement ?? document.body
      const dt = new DataTransfer()
      target.dispatchEvent(
        new ClipboardEvent('copy', { clipboardData: dt, bubbles: true, cancelable: true }),
      )
      document.removeEventListener('copy', grab)
      return out
    })
    expect(copied).toBe('甲1\t乙1\t丙1\r\n甲2\t乙2\t丙2\r\n甲3\t乙3\t丙3')
    // The paste is one undo step.
    await a.page.keyboard.press('Control+z')
    await a.page.waitForFunction(
      ([s1, s2]) =>
        !document.querySelector(s1!)?.textContent?.includes('甲1') &&
        !document.querySelector(s2!)?.textContent?.includes('丙3'),
      [cellSel(16, cols[1]!), cellSel(18, cols[3]!)] as const,
    )
    expect(await cellText(a.page, 16, cols[1]!)).toBe(originals[0])
    expect(await cellText(a.page, 18, cols[3]!)).toBe(originals[1])
    await a.page.keyboard.press('Control+y')
    await waitForCell(a.page, 16, cols[1]!, '甲1')
    await screenshot(a.page, '6-paste-3x3.png')
  })

  it('7. a new demo workbook shows three Chinese sheets; the English switch changes the UI', async () => {
    const c = await openBrowser('demo', { name: '王五', color: '#0891b2' })
    try {
      await createWorkbook(c.page, server.origin, server.token, 'demo')
      const tabs = c.page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]')
      await expect(tabs.allTextContents()).resolves.toEqual(['站点', '指标', '地区'])
      expect(await c.page.getByTestId('share').textContent()).toBe('分享')
      await screenshot(c.page, '7-demo-zh.png')
      await c.page.getByTestId('lang-switch').click()
      await c.page.waitForFunction(
        () => document.querySelector('[data-testid="share"]')?.textContent === 'Share',
      )
      expect(await c.page.getByTestId('problems-button').textContent()).toMatch(/^Problems/)
      await c.page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]').nth(1).click()
      await screenshot(c.page, '7-demo-en.png')
    } finally {
      await c.close()
    }
  })
})
