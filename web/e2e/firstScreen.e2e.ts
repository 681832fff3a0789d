/**
 * The first-screen cache (web/src/doc/firstScreen.ts) in real Chromium against `taizhang serve`:
 * a reload paints the cached rows before the doc is live, then the live grid takes over the same
 * rows and is editable; a cache made stale by an update stored after it was written is not used.
 *
 * The workbook (20,000 rows, seeded on the server by a Node client) is big enough that applying
 * it takes a while, and the reload runs with the CPU throttled, so the cached frame comes first.
 * No timing is asserted: only the order of what was painted, frame by frame.
 */
import { Workbook } from '@taizhang/shared'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  type Browser,
  cellSel,
  openBrowser,
  type Server,
  screenshot,
  startServer,
  typeInCell,
  waitForCell,
  waitSaved,
} from './harness'

const WORKBOOK = 'first-screen-e2e'
const ROWS = 20_000

let server: Server
let br: Browser
let doc: Y.Doc
let provider: WebsocketProvider
let cols: string[]

/** Per animation frame from navigation: the first frame showing each kind of grid's row 0. */
const FRAME_RECORDER = () => {
  type Seen = { frame: number; text: string; top: number }
  const w = window as unknown as {
    __fs: { frame: number; cached: Seen | null; live: Seen | null; cachedAfterLive: boolean }
  }
  w.__fs = { frame: 0, cached: null, live: null, cachedAfterLive: false }
  const look = (sel: string): Seen | null => {
    const rows = [...document.querySelectorAll(`${sel} .ag-row[row-index="0"]`)]
    const first = rows[0] as HTMLElement | undefined
    // Rendered values (cell renderers may come a frame after the row numbers).
    const text = rows.map((r) => r.textContent ?? '').join('|')
    const values = rows.some((r) => r.querySelector('.tz-cell')?.textContent)
    if (!first?.checkVisibility() || !values) return null
    return { frame: w.__fs.frame, text, top: Math.round(first.getBoundingClientRect().top) }
  }
  const tick = () => {
    const fs = w.__fs
    fs.frame++
    const cached = look('[data-testid="first-screen"]')
    if (cached && !fs.cached) fs.cached = cached
    if (cached && fs.live) fs.cachedAfterLive = true
    if (!fs.live) fs.live = look('[data-testid="grid"]')
    if (fs.frame < 100_000) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
}

async function frames(page: Page) {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          __fs: {
            cached: { frame: number; text: string; top: number } | null
            live: { frame: number; text: string; top: number } | null
            cachedAfterLive: boolean
          }
        }
      ).__fs,
  )
}

/** The stored first-screen record matches the stored updates (what the open checks). */
async function cacheIsCurrent(page: Page): Promise<boolean> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open(name)
      req.onsuccess = () => ok(req.result)
      req.onerror = () => fail(req.error)
    })
    try {
      if (!db.objectStoreNames.contains('screen')) return false
      const tx = db.transaction(['updates', 'screen'])
      const get = <T>(r: IDBRequest<T>) =>
        new Promise<T>((ok, fail) => {
          r.onsuccess = () => ok(r.result)
          r.onerror = () => fail(r.error)
        })
      const [rec, keys] = await Promise.all([
        get(tx.objectStore('screen').get('first')),
        get(tx.objectStore('updates').getAllKeys()),
      ])
      const fp = (rec as { fingerprint?: { lastKey: number; count: number } } | undefined)
        ?.fingerprint
      return !!fp && fp.count === keys.length && fp.lastKey === keys[keys.length - 1]
    } finally {
      db.close()
    }
  }, `taizhang-doc-${WORKBOOK}`)
}

const waitSettled = (page: Page) => waitSaved(page, { synced: true, timeout: 60_000 })

async function waitCacheCurrent(page: Page): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await cacheIsCurrent(page)) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the first-screen cache was not written')
}

describe('first-screen cache (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    server = await startServer()
    const WS = (
      await import(new URL('../../sync-server/node_modules/ws/wrapper.mjs', import.meta.url).href)
    ).default
    doc = new Y.Doc()
    const wb = Workbook.create(doc, { title: '首屏缓存', author: { id: 'node', name: '节点' } })
    const sheet = wb.sheet(wb.addSheet('站点月报'))
    cols = [
      sheet.addColumn({ name: '站点', type: 'text' }),
      sheet.addColumn({ name: '街道', type: 'text' }),
      sheet.addColumn({ name: '服务人次', type: 'integer' }),
      sheet.addColumn({ name: '满意度', type: 'percent' }),
    ]
    provider = new WebsocketProvider(
      server.origin.replace(/^http/, 'ws') + '/sync',
      WORKBOOK,
      doc,
      { params: { token: server.token }, WebSocketPolyfill: WS, disableBc: true },
    )
    await new Promise<void>((ok) => provider.once('sync', () => ok()))
    for (let i = 0; i < ROWS; i += 5000) {
      const rows = Array.from({ length: 5000 }, (_, k) => ({
        [cols[0]!]: `第${i + k}号社工站`,
        [cols[1]!]: `街道${(i + k) % 37}`,
        [cols[2]!]: ((i + k) * 7919) % 5000,
        [cols[3]!]: ((i + k) % 100) / 100,
      }))
      sheet.insertRows(rows, i === 0 ? {} : { after: sheet.rowIds().at(-1)! })
    }
    // Until the server has it all (its durable ack covers our state).
    await new Promise((r) => setTimeout(r, 1500))

    br = await openBrowser('first-screen', { name: '王芳', color: '#2563eb' })
    await br.context.addInitScript(FRAME_RECORDER)
    await br.page.goto(`${server.origin}/#/w/${WORKBOOK}?token=${server.token}`)
    await br.page.getByTestId('workbook').waitFor({ timeout: 60_000 })
    await waitForCell(br.page, 0, cols[0]!, '第0号社工站', 30_000)
    await waitSettled(br.page)
    await waitCacheCurrent(br.page)
  })

  afterAll(async () => {
    provider?.destroy()
    doc?.destroy()
    await br?.close()
    await server?.stop()
  })

  it('a reload paints the cached rows before the doc is live, then the same rows become editable', async () => {
    const page = br.page
    const cdp = await br.context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    try {
      await page.reload()
      await page.getByTestId('workbook').waitFor({ timeout: 60_000 })
      await page.waitForFunction(() => (window as unknown as { __fs: { live: unknown } }).__fs.live)
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
      await cdp.detach()
    }
    const fs = await frames(page)
    const marks = await page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .map((m) => `${m.name} ${Math.round(m.startTime)}`)
        .join(', '),
    )
    expect(fs.cached, `cached rows painted (${JSON.stringify(fs)}; ${marks})`).not.toBeNull()
    expect(fs.live, 'live rows painted').not.toBeNull()
    expect(fs.cached!.frame).toBeLessThan(fs.live!.frame)
    expect(fs.cached!.text).toContain('第0号社工站')
    // The live grid shows the very rows, where they were.
    expect(fs.live!.text).toBe(fs.cached!.text)
    expect(fs.live!.top).toBe(fs.cached!.top)
    expect(fs.cachedAfterLive).toBe(false)
    expect(await page.getByTestId('first-screen').count()).toBe(0)
    await screenshot(page, 'first-screen-live.png')

    // Live: editable, and the edit is stored.
    await typeInCell(page, 1, cols[1]!, '重载后可编辑')
    await waitSettled(page)
    await waitCacheCurrent(page)
  })

  it('a cache made stale by an update stored after it was written is not used', async () => {
    const page = br.page
    // Leave the workbook (the cache is written as the session closes) for a page that does not
    // open it, then store an update there as another tab would, behind this session's back.
    await page.evaluate(() => {
      location.hash = '#/'
    })
    await page.getByTestId('new-demo').waitFor()
    expect(await cacheIsCurrent(page)).toBe(true)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const wb = Workbook.open(copy, { author: { id: 'other', name: '另一标签页' } }).workbook
    const sheet = wb.sheet(wb.listSheets()[0]!.id)
    const before = Y.encodeStateVector(copy)
    sheet.setCell(sheet.rowIds()[0]!, cols[0]!, '另一标签页改的')
    const update = Y.encodeStateAsUpdate(copy, before)
    await page.evaluate(
      async ([name, bytes]) => {
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const req = indexedDB.open(name as string)
          req.onsuccess = () => ok(req.result)
          req.onerror = () => fail(req.error)
        })
        const tx = db.transaction('updates', 'readwrite')
        tx.objectStore('updates').add(new Uint8Array(bytes as number[]))
        await new Promise((ok) => (tx.oncomplete = ok))
        db.close()
      },
      [`taizhang-doc-${WORKBOOK}`, [...update]] as const,
    )
    expect(await cacheIsCurrent(page)).toBe(false)

    await page.goto(`${server.origin}/#/w/${WORKBOOK}`)
    await page.reload()
    await page.getByTestId('workbook').waitFor({ timeout: 60_000 })
    await waitForCell(page, 0, cols[0]!, '另一标签页改的', 30_000)
    const fs = await frames(page)
    expect(fs.cached, 'no cached frame').toBeNull()
    expect(fs.live!.text).toContain('另一标签页改的')
    await page.locator(cellSel(0, cols[0]!)).waitFor()
  })
})
