/**
 * The set-ups the browser tests share: the real server and two Chromium pages (A 王敏 and B 李强
 * unless named otherwise) on one workbook A created, both synced, or one page on a new workbook;
 * share links minted through `POST /api/share`; a viewer's page opened for one check and closed.
 *
 *   let t: TwoPages
 *   beforeAll(async () => { t = await openTwoPages('ver') })
 *   afterAll(() => t?.close())
 */
import type { Page } from 'playwright-core'
import {
  type Browser,
  createWorkbook,
  openBrowser,
  type Server,
  startServer,
  waitSaved,
} from './harness'

export interface Identity {
  name: string
  color: string
}

/** The people the tests act as. */
export const WANG: Identity = { name: '王敏', color: '#2563eb' }
export const LI: Identity = { name: '李强', color: '#d97706' }
export const SUPERVISOR: Identity = { name: '督导', color: '#7c3aed' }

export interface TwoPages {
  server: Server
  a: Browser
  b: Browser
  workbookId: string
  /** Closes both pages and stops the server (each step even when one before it failed). */
  close(): Promise<void>
}

/** Waits until a page's grid shows row 0 (in any of its containers). */
export async function firstRowShown(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('.ag-row[row-index="0"]').first().waitFor({ timeout })
}

/** Waits until the page's connection badge reads `state` (synced, offline, …). */
export async function waitBadge(br: Browser, state: string, timeout = 20_000): Promise<void> {
  await br.page.waitForFunction(
    (s) => document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-state') === s,
    state,
    { timeout },
  )
}

/** Opens the 版本 panel from the toolbar's 更多 menu. */
export async function openVersions(page: Page): Promise<void> {
  // The command toggles the panel: leave an open one open.
  if (await page.getByTestId('versions-panel').isVisible()) return
  await page.getByTestId('toolbar-more').click()
  await page
    .locator('[data-testid="context-menu"] button')
    .filter({ hasText: /^\s*版本\s*$/ })
    .click()
  await page.getByTestId('versions-panel').waitFor({ timeout: 10_000 })
}

/**
 * Opens workbook `workbookId` with `token` and waits for the workbook view. With `reload`, reloads
 * first: when the page already shows the app, changing the hash alone keeps the old session's link.
 */
export async function openWorkbookAs(
  br: Browser,
  server: Server,
  workbookId: string,
  token: string,
  opts: { reload?: boolean; timeout?: number } = {},
): Promise<void> {
  await br.page.goto(`${server.origin}/#/w/${workbookId}?token=${encodeURIComponent(token)}`)
  if (opts.reload) await br.page.reload()
  await br.page
    .getByTestId('workbook')
    .waitFor(opts.timeout === undefined ? {} : { timeout: opts.timeout })
}

export interface ShareRequest {
  workbook: string
  role: string
  name: string
  days?: number
  /** A stable user id the server vouches for (attestation). */
  user?: string
  /** A scoped editor's scope, e.g. `{ station }`. */
  scope?: Record<string, string>
}

/** Mints a share link as the server's first-run editor; throws unless the server answers 200. */
export async function shareLink(
  server: Server,
  req: ShareRequest,
): Promise<{ url: string; token: string }> {
  const res = await fetch(`${server.origin}/api/share`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(req),
  })
  if (res.status !== 200) throw new Error(`POST /api/share: ${res.status} ${await res.text()}`)
  return (await res.json()) as { url: string; token: string }
}

/** A one-day editor link on `t`'s workbook naming a stable user id and the name the server vouches for. */
export async function editorLink(
  t: { server: Server; workbookId: string },
  user: string,
  name: string,
): Promise<string> {
  return (
    await shareLink(t.server, { workbook: t.workbookId, role: 'editor', days: 1, name, user })
  ).url
}

/**
 * A viewer's page (督导, a one-day viewer link) on the workbook, for the checks in `check`; the
 * page is closed afterwards whatever happens. `name` names its profile.
 */
export async function withViewer(
  t: { server: Server; workbookId: string },
  name: string,
  check: (v: Browser) => Promise<void>,
): Promise<void> {
  const { url } = await shareLink(t.server, {
    workbook: t.workbookId,
    role: 'viewer',
    days: 1,
    name: SUPERVISOR.name,
  })
  const v = await openBrowser(name, SUPERVISOR)
  try {
    await v.page.goto(url)
    await check(v)
  } finally {
    await v.close()
  }
}

/**
 * Starts the real server and opens pages `<prefix>-a` and `<prefix>-b`; A creates a demo workbook
 * and waits until it is synced. Unless `openB` is false, B opens it with the server's token and
 * waits for row 0 (tests that give B another link open it themselves). What was opened is closed
 * again if a step fails.
 */
export async function openTwoPages(
  prefix: string,
  opts: { a?: Identity; b?: Identity; openB?: boolean } = {},
): Promise<TwoPages> {
  let server: Server | undefined
  let a: Browser | undefined
  let b: Browser | undefined
  const close = async () => {
    // Each step on its own: a failed close must not leave the server running.
    await a?.close().catch((e) => console.error('closing page A:', e))
    await b?.close().catch((e) => console.error('closing page B:', e))
    await server?.stop()
  }
  try {
    server = await startServer()
    a = await openBrowser(`${prefix}-a`, opts.a ?? WANG)
    b = await openBrowser(`${prefix}-b`, opts.b ?? LI)
    const workbookId = await createWorkbook(a.page, server.origin, server.token, 'demo')
    await waitSaved(a.page, { synced: true })
    if (opts.openB !== false) {
      await openWorkbookAs(b, server, workbookId, server.token)
      await firstRowShown(b.page)
    }
    return { server, a, b, workbookId, close }
  } catch (e) {
    await close()
    throw e
  }
}

export interface OnePage {
  server: Server
  br: Browser
  /** The workbook the page created ('' when it created none). */
  workbookId: string
  /** Closes the page and stops the server (the server even when closing the page failed). */
  close(): Promise<void>
}

/**
 * Starts the real server and opens page `name` as `identity`; with `workbook`, creates a new one
 * of that kind, and with `firstRow` also waits for its row 0. What was opened is closed again if a
 * step fails.
 */
export async function openOnePage(
  name: string,
  identity: Identity,
  opts: { workbook?: 'demo' | 'empty'; firstRow?: boolean } = {},
): Promise<OnePage> {
  let server: Server | undefined
  let br: Browser | undefined
  const close = async () => {
    await br?.close().catch((e) => console.error(`closing page ${name}:`, e))
    await server?.stop()
  }
  try {
    server = await startServer()
    br = await openBrowser(name, identity)
    const workbookId = opts.workbook
      ? await createWorkbook(br.page, server.origin, server.token, opts.workbook)
      : ''
    if (opts.firstRow) await firstRowShown(br.page)
    return { server, br, workbookId, close }
  } catch (e) {
    await close()
    throw e
  }
}
