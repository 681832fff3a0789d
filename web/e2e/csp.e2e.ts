/**
 * The app under its Content-Security-Policy (issue #17 §3): real `taizhang serve`, real Chromium.
 * The app, its sync WebSocket, its service worker and its workers must keep working, and the
 * browser must report no CSP violation.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  createWorkbook,
  dataColumnIds,
  importCsv,
  REPO,
  type Server,
  screenshot,
  waitForCell,
  waitSaved,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let server: Server
let br: Browser
const consoleCsp: string[] = []

describe('Content-Security-Policy in Chromium', () => {
  beforeAll(async () => {
    t = await openOnePage('csp', { name: '赵六', color: '#7c3aed' })
    ;({ server, br } = t)
    // Every violation the page (or a worker it starts) reports, from the first script on.
    await br.context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] }
      w.__csp = []
      document.addEventListener('securitypolicyviolation', (e) => {
        w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`)
      })
    })
    br.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text())
    })
  })
  afterAll(() => t?.close())

  it('the app, its sync socket, service worker and workers run with no violation reported', async () => {
    const page = br.page
    const res = await page.goto(`${server.origin}/#/?token=${server.token}`)
    const csp = res!.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res!.headers()['referrer-policy']).toBe('no-referrer')

    // The app: a workbook created, an edit synced over the WebSocket (connect-src).
    await createWorkbook(page, server.origin, server.token, 'empty')
    // A CSV import runs in the app's csv worker (worker-src).
    await importCsv(page, 'csp.csv', '站点名称,服务人次\n殷行街道社工站,12\n')
    const cols = await dataColumnIds(page)
    await waitForCell(page, 0, cols[0]!, '殷行街道社工站')
    await waitSaved(page, { synced: true })

    // The service worker (workbox, importScripts of its runtime) installs and activates.
    const swState = await page.evaluate(async () => {
      const reg = await Promise.race([
        navigator.serviceWorker.ready,
        new Promise<null>((r) => setTimeout(() => r(null), 20_000)),
      ])
      return reg?.active?.state ?? null
    })
    expect(swState).toBe('activated')

    // The compaction worker starts from its built script and answers a request.
    const compactWorker = readdirSync(join(REPO, 'web/dist/assets')).find((f) =>
      f.startsWith('compactWorker-'),
    )
    expect(compactWorker).toBeDefined()
    const answer = await page.evaluate(async (url) => {
      const w = new Worker(url, { type: 'module' })
      const out = await new Promise<string>((resolve) => {
        w.onmessage = (e) => resolve(`message ${JSON.stringify(e.data).slice(0, 40)}`)
        w.onerror = (e) => resolve(`error ${e.message}`)
        w.postMessage({ id: 1, workbookId: 'csp-probe', upTo: 0 })
        setTimeout(() => resolve('timeout'), 10_000)
      })
      w.terminate()
      return out
    }, `/assets/${compactWorker}`)
    expect(answer).toMatch(/^message /)

    // A blob: worker (worker-src blob:) runs too.
    const blobAnswer = await page.evaluate(async () => {
      const url = URL.createObjectURL(new Blob(['postMessage(6 * 7)'], { type: 'text/javascript' }))
      const w = new Worker(url)
      const v = await new Promise<unknown>((resolve) => {
        w.onmessage = (e) => resolve(e.data)
        w.onerror = () => resolve('error')
      })
      w.terminate()
      return v
    })
    expect(blobAnswer).toBe(42)

    // An inline script is refused (the policy is in force), and reported.
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inlineRan = true'
      document.body.append(s)
    })
    expect(await page.evaluate(() => (window as { __inlineRan?: boolean }).__inlineRan)).toBe(
      undefined,
    )
    await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length > 0)
    await screenshot(page, 'csp.png')
    const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
    // The probe's inline script is the only violation: nothing of the app was blocked.
    expect(violations).toEqual(['script-src-elem inline'])
    expect(consoleCsp.filter((m) => !/inline script/i.test(m))).toEqual([])
  })
})
