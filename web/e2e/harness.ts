/**
 * Browser-test harness: the real `taizhang serve` (built web app, real sync server) on 127.0.0.1 with a
 * random port and a fresh data dir, and Debian's Chromium through playwright-core with fresh
 * persistent profiles. Screenshots go to .artifacts/e2e/.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BrowserContext, chromium, type Page } from 'playwright-core'

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const ARTIFACTS = join(REPO, '.artifacts/e2e')
/** Debian's Chromium, or the binary named by TAIZHANG_CHROMIUM (as scripts/ensureChromium.mjs). */
export const CHROMIUM = process.env.TAIZHANG_CHROMIUM ?? '/usr/bin/chromium'

export interface Server {
  origin: string
  /** The `*` editor token printed at first start. */
  token: string
  dataDir: string
  stop(): Promise<void>
}

/** Where a test server keeps its data and which web build it serves (defaults: fresh, web/dist). */
export interface ServerOptions {
  dataDir?: string
  webDir?: string
}

/**
 * Starts `taizhang serve --port 0` through the production bin and waits for its printed link.
 * Shared by the browser tests, the web benchmark and the chaos harness's pages.
 */
export async function startServer(opts: ServerOptions = {}): Promise<Server> {
  if (!opts.webDir && !existsSync(join(REPO, 'web/dist/index.html'))) {
    throw new Error('web/dist is missing: run `npx vite build` first')
  }
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tz-e2e-data-'))
  // The production entry: the bin runs the bundled server (building it first when stale).
  const child: ChildProcess = spawn(
    process.execPath,
    [
      'bin/taizhang.mjs',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      dataDir,
      ...(opts.webDir ? ['--web-dir', opts.webDir] : []),
      '--log-level',
      'warn',
    ],
    { cwd: join(REPO, 'sync-server'), stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  const link = await new Promise<string>((resolveLink, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000)
    const onData = (b: Buffer) => {
      out += b.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#\/\?token=\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveLink(m[1]!)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  const url = new URL(link)
  const token = new URLSearchParams(url.hash.split('?')[1]).get('token')!
  return {
    origin: url.origin,
    token,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The flags TOOLCHAIN.md lists for Debian's Chromium in this sandbox. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's Chromium on a persistent profile dir (IndexedDB and service workers as for users). */
export function launchChromium(
  dir: string,
  opts: {
    offline?: boolean
    extraArgs?: string[]
    viewport?: { width: number; height: number }
  } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    offline: opts.offline ?? false,
    viewport: opts.viewport ?? { width: 1280, height: 760 },
    locale: 'zh-CN',
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
  })
}

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/**
 * A profile's first page, with the app's identity preset to `identity` (id `<idPrefix>-<name>`)
 * unless the profile already has one, and its page errors logged under `name`. Shared with the
 * chaos harness's pages.
 */
export async function firstPage(
  context: BrowserContext,
  name: string,
  identity: { name: string; color: string } | undefined,
  idPrefix: string,
): Promise<Page> {
  if (identity) {
    await context.addInitScript(
      ({ id, prefix }) => {
        if (!localStorage.getItem('taizhang.identity')) {
          localStorage.setItem(
            'taizhang.identity',
            JSON.stringify({ id: `${prefix}-${id.name}`, ...id }),
          )
        }
      },
      { id: identity, prefix: idPrefix },
    )
  }
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (e) => console.error(`[${name}] pageerror:`, e.message))
  return page
}

/** A fresh Chromium profile (persistent, so IndexedDB and the service worker behave as for users). */
export async function openBrowser(
  name: string,
  identity?: { name: string; color: string },
): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), `tz-e2e-${name}-`))
  const context = await launchChromium(dir)
  const page = await firstPage(context, name, identity, 'e2e')
  return {
    context,
    page,
    async close() {
      await context.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, file) })
}

/** The stable AG Grid 36 cell selector. */
export function cellSel(rowIndex: number, colId: string): string {
  return `.ag-row[row-index="${rowIndex}"] [col-id="${colId}"]`
}

/** Creates a workbook from the home page and returns its id. */
export async function createWorkbook(
  page: Page,
  origin: string,
  token: string,
  kind: 'empty' | 'demo',
): Promise<string> {
  await page.goto(`${origin}/#/?token=${token}`)
  await page.getByTestId(kind === 'demo' ? 'new-demo' : 'new-empty').click()
  await page.waitForURL(/#\/w\//)
  await page.getByTestId('workbook').waitFor()
  return decodeURIComponent(/#\/w\/([^/?]+)/.exec(page.url())![1]!)
}

/** Column ids of the current sheet in display order (data columns only). */
export async function dataColumnIds(page: Page): Promise<string[]> {
  await page.locator('.ag-header-cell[col-id]').first().waitFor()
  return page.evaluate(() =>
    [...document.querySelectorAll('.ag-header-cell[col-id]')]
      .map((el) => el.getAttribute('col-id')!)
      .filter((id) => id !== '__rownum'),
  )
}

/** The id of the shown column whose header reads `name` (throws when there is none). */
export async function columnNamed(page: Page, name: string): Promise<string> {
  const id = await page.evaluate(
    (n) =>
      [...document.querySelectorAll('.ag-header-cell[col-id]')]
        .find((el) => el.textContent?.trim() === n)
        ?.getAttribute('col-id') ?? null,
    name,
  )
  if (!id) throw new Error(`no column ${name}`)
  return id
}

/** Column ids of the current sheet keyed by header name (data columns only). */
export async function columnsByName(page: Page): Promise<Record<string, string>> {
  await page.locator('.ag-header-cell[col-id]').first().waitFor()
  return page.evaluate(() => {
    const out: Record<string, string> = {}
    for (const el of document.querySelectorAll('.ag-header-cell[col-id]')) {
      const id = el.getAttribute('col-id')!
      const name = el.querySelector('.ag-header-cell-text')?.textContent?.trim()
      if (name && id !== '__rownum') out[name] = id
    }
    return out
  })
}

export async function cellText(page: Page, rowIndex: number, colId: string): Promise<string> {
  return (await cellValue(page, rowIndex, colId)) ?? ''
}

/**
 * Clicks a text cell, opens its editor with Enter, types, and presses Enter; waits until the grid
 * shows the text. AG Grid hands the committed value to onCellEditRequest in a later task (its
 * events are async), so right after the editor closes the cell still shows the old value, and
 * the local-save badge still shows the previous edit's 已保存在本设备.
 */
export async function typeInCell(
  page: Page,
  rowIndex: number,
  colId: string,
  text: string,
): Promise<void> {
  const cell = page.locator(cellSel(rowIndex, colId))
  await cell.click()
  await page.keyboard.press('Enter')
  const editor = page.locator('.tz-editor')
  await editor.waitFor({ timeout: 5000 })
  await editor.fill(text)
  await page.keyboard.press('Enter')
  await editor.waitFor({ state: 'detached', timeout: 5000 })
  await waitForCell(page, rowIndex, colId, text)
}

/** A cell's value text, without collaborator labels. */
export async function cellValue(
  page: Page,
  rowIndex: number,
  colId: string,
): Promise<string | null> {
  return page.evaluate(
    (sel) => {
      const el = document.querySelector(sel)
      if (!el) return null
      const copy = el.cloneNode(true) as HTMLElement
      for (const x of copy.querySelectorAll('.tz-peer')) x.remove()
      return copy.textContent?.trim() ?? ''
    },
    cellSel(rowIndex, colId),
  )
}

export async function waitForCell(
  page: Page,
  rowIndex: number,
  colId: string,
  expected: string,
  timeout = 5000,
): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, exp]) => {
        const el = document.querySelector(sel!)
        if (!el) return false
        const copy = el.cloneNode(true) as HTMLElement
        for (const x of copy.querySelectorAll('.tz-peer')) x.remove()
        return copy.textContent?.trim() === exp
      },
      [cellSel(rowIndex, colId), expected] as const,
      { timeout },
    )
  } catch (e) {
    const actual = await cellValue(page, rowIndex, colId)
    throw new Error(
      `cell (${rowIndex}, ${colId}) is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}: ${String(e)}`,
    )
  }
}

/**
 * Clicks a toolbar button by test id, through 更多 when the one-row toolbar has moved it there
 * (web/src/workbook/toolbar/fitOneRow.ts: which buttons fit depends on the width and the role).
 */
export async function clickToolbar(page: Page, testId: string): Promise<void> {
  const button = page.getByTestId(testId)
  await button.waitFor({ state: 'attached' })
  if ((await button.getAttribute('data-overflow')) === null) {
    await button.click()
    return
  }
  const label = ((await button.textContent()) ?? '').trim()
  await page.getByTestId('toolbar-more').click()
  await page.getByTestId('context-menu').getByRole('menuitem', { name: label, exact: true }).click()
}

/**
 * Imports a CSV file with the import dialog's defaults: picks the file, waits for the mapping,
 * 检查, waits for the review, 导入, closes the dialog. `mappingTimeout` bounds the first wait.
 */
export async function importCsv(
  page: Page,
  name: string,
  content: string,
  opts: { mappingTimeout?: number } = {},
): Promise<void> {
  await page.getByTestId('csv-file-input').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(content, 'utf8'),
  })
  await page
    .getByTestId('csv-mapping')
    .waitFor(opts.mappingTimeout === undefined ? {} : { timeout: opts.mappingTimeout })
  await page.getByTestId('csv-check').click()
  await page.getByTestId('csv-review').waitFor()
  await page.getByTestId('csv-apply').click()
  await page.getByTestId('csv-close').click()
}

/**
 * Waits until the page's badges say its edits are saved on this device (已保存在本设备) and, with
 * `synced`, also on the server (已同步).
 */
export async function waitSaved(
  page: Page,
  opts: { synced?: boolean; timeout?: number; polling?: number | 'raf' } = {},
): Promise<void> {
  await page.waitForFunction(
    (synced) =>
      document.querySelector('[data-testid="local-save"]')?.getAttribute('data-state') ===
        'saved' &&
      (!synced ||
        document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-state') ===
          'synced'),
    opts.synced ?? false,
    { timeout: opts.timeout ?? 30_000, polling: opts.polling ?? 'raf' },
  )
}

/** The whole grid's values as text, row by row, without collaborator labels. */
export async function gridSnapshot(page: Page): Promise<string> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('.ag-row[row-index]')]
    const byIndex = new Map<number, string[]>()
    for (const r of rows) {
      const i = Number(r.getAttribute('row-index'))
      const cells = [...r.querySelectorAll('[col-id]')].map((c) => {
        const copy = c.cloneNode(true) as HTMLElement
        for (const x of copy.querySelectorAll('.tz-peer')) x.remove()
        return `${c.getAttribute('col-id')}=${copy.textContent?.trim()}`
      })
      byIndex.set(i, [...(byIndex.get(i) ?? []), ...cells])
    }
    return [...byIndex.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([i, cells]) => `${i}: ${cells.sort().join(' | ')}`)
      .join('\n')
  })
}

export function cleanupDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
