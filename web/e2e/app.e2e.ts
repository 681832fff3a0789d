import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  createWorkbook,
  openBrowser,
  type Server,
  screenshot,
  waitSaved,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let server: Server
let owner: Browser

/** A fresh Chromium profile with no identity preset (a person arriving for the first time). */
const freshProfile = (name: string): Promise<Browser> => openBrowser(name)

/** The home page's rows as [title, where]. */
async function homeRows(page: Page): Promise<Array<[string, string]>> {
  await page.getByTestId('wb-list').waitFor()
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="wb-item"]')].map(
      (li) =>
        [li.querySelector('.wb-title')?.textContent ?? '', li.getAttribute('data-where') ?? ''] as [
          string,
          string,
        ],
    ),
  )
}

async function waitRows(page: Page, want: Array<[string, string]>): Promise<void> {
  const end = Date.now() + 20_000
  let got: Array<[string, string]> = []
  while (Date.now() < end) {
    got = await homeRows(page)
    if (JSON.stringify([...got].sort()) === JSON.stringify([...want].sort())) return
    await page.waitForTimeout(200)
    await page.reload()
  }
  expect([...got].sort()).toEqual([...want].sort())
}

describe('the app around the grid (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    // Two workbooks on the server, made on the owner's device.
    t = await openOnePage('app-owner', { name: '王敏', color: '#2563eb' }, { workbook: 'demo' })
    ;({ server, br: owner } = t)
    await waitSaved(owner.page, { synced: true })
    await createWorkbook(owner.page, server.origin, server.token, 'empty')
    await owner.page.getByTestId('wb-title').fill('救助台账')
    await owner.page.getByTestId('wb-title').press('Enter')
    await waitSaved(owner.page, { synced: true })
  })
  afterAll(() => t?.close())

  it('a fresh browser with the owner’s link lists the server’s workbooks and opens one', async () => {
    const fresh = await openBrowser('app-fresh', { name: '李强', color: '#d97706' })
    try {
      const page = fresh.page
      await page.goto(`${server.origin}/#/?token=${encodeURIComponent(server.token)}`)
      await waitRows(page, [
        ['社工站台账示例', 'server'],
        ['救助台账', 'server'],
      ])
      expect(await page.getByTestId('wb-empty').count()).toBe(0)
      await screenshot(page, 'app-home-fresh.png')
      await page.locator('.wb-title', { hasText: '社工站台账示例' }).click()
      await page.waitForURL(/#\/w\//)
      await page.getByTestId('workbook').waitFor()
      await page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
      expect(await page.getByTestId('wb-title').inputValue()).toBe('社工站台账示例')
      await page.goto(`${server.origin}/#/`)
      await waitRows(page, [
        ['社工站台账示例', 'both'],
        ['救助台账', 'server'],
      ])
    } finally {
      await fresh.close()
    }
  })

  it('marks a workbook the server does not have as only on this device, and says when the server is unreachable', async () => {
    const page = owner.page
    await page.goto(`${server.origin}/#/`)
    // A workbook whose changes never reached the server (made offline, never synced): its entry
    // is on the device, its id unknown to the server.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('taizhang-registry', 1)
          open.onsuccess = () => {
            const tx = open.result.transaction('workbooks', 'readwrite')
            tx.objectStore('workbooks').put({
              id: 'offlineOnly0000000',
              title: '离线新建的台账',
              createdAt: Date.now(),
              lastOpened: Date.now(),
            })
            tx.oncomplete = () => {
              open.result.close()
              resolve()
            }
            tx.onerror = () => reject(tx.error)
          }
          open.onerror = () => reject(open.error)
        }),
    )
    await page.reload()
    await waitRows(page, [
      ['社工站台账示例', 'both'],
      ['救助台账', 'both'],
      ['离线新建的台账', 'device'],
    ])
    expect(await page.locator('[data-where="device"] .chip.warn').textContent()).toBe('只在本设备')
    await screenshot(page, 'app-home-owner.png')
    await owner.context.setOffline(true)
    try {
      await page.reload().catch(() => undefined)
      await page.getByTestId('server-unknown').waitFor({ timeout: 15_000 })
      expect((await homeRows(page)).every(([, where]) => where === 'unknown')).toBe(true)
    } finally {
      await owner.context.setOffline(false)
    }
  })

  it('a share link’s name becomes the identity: the person is not asked again', async () => {
    const r = await fetch(`${server.origin}/api/share`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workbook: await firstServerId(), role: 'viewer', name: '赵敏' }),
    })
    const { url } = (await r.json()) as { url: string }
    const fresh = await freshProfile('app-named')
    try {
      await fresh.page.goto(url)
      await fresh.page.getByTestId('workbook').waitFor()
      await fresh.page.waitForTimeout(500)
      expect(await fresh.page.getByTestId('name-prompt').count()).toBe(0)
      expect(await fresh.page.locator('.app-header').textContent()).toContain('赵敏')
    } finally {
      await fresh.close()
    }
  })

  it('closing the page at the demo’s name prompt leaves nothing on the device', async () => {
    const fresh = await freshProfile('app-prompt')
    try {
      const page = fresh.page
      await page.goto(`${server.origin}/#/?token=${encodeURIComponent(server.token)}`)
      await page.getByTestId('wb-list').waitFor()
      await page.getByTestId('new-demo').click()
      await page.getByTestId('name-prompt').waitFor()
      // Closing the page there: reload to the home page.
      await page.goto(`${server.origin}/#/`)
      await page.reload()
      await waitRows(page, [
        ['社工站台账示例', 'server'],
        ['救助台账', 'server'],
      ])
      // Confirming the prompt does create it.
      await page.getByTestId('new-demo').click()
      await page.getByTestId('name-prompt').locator('input').fill('周芳')
      await page.getByTestId('name-prompt').locator('button[type="submit"]').click()
      await page.getByTestId('workbook').waitFor()
      await page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout: 20_000 })
      await waitSaved(page, { synced: true })
      await page.goto(`${server.origin}/#/`)
      const rows = await homeRows(page)
      expect(rows.filter(([, w]) => w === 'both').map(([t]) => t)).toEqual(['社工站台账示例'])
    } finally {
      await fresh.close()
    }
  })
})

/** The id of one workbook on the server, through the read API. */
async function firstServerId(): Promise<string> {
  const r = await fetch(`${server.origin}/api/workbooks`, {
    headers: { authorization: `Bearer ${server.token}` },
  })
  const body = (await r.json()) as { workbooks: Array<{ id: string }> }
  return body.workbooks[0]!.id
}
