import { Workbook } from '@taizhang/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type Browser,
  cellSel,
  cellValue,
  dataColumnIds,
  importCsv,
  type Server,
  screenshot,
  typeInCell,
  waitForCell,
  waitSaved,
} from './harness'
import { openTwoPages, openVersions, type TwoPages, withViewer } from './twoPages'

let t: TwoPages
let server: Server
let a: Browser
let b: Browser
let workbookId: string
let col: string
/** Row 0's first value when the version 报送前 was saved. */
let firstName = ''

describe('issue 13 §3: versions (two real Chromium pages, real server)', () => {
  beforeAll(async () => {
    t = await openTwoPages('ver')
    ;({ server, a, b, workbookId } = t)
    col = (await dataColumnIds(a.page))[0]!
  })
  afterAll(() => t?.close())

  it('save a version, edit, compare, roll back (seen live by the other page), one Ctrl+Z undoes it; a viewer lists and opens only', async () => {
    const orig0 = (await cellValue(a.page, 0, col)) ?? ''
    const orig1 = (await cellValue(a.page, 1, col)) ?? ''
    expect(orig0).not.toBe('')
    firstName = orig0

    // 保存版本 with a name.
    await openVersions(a.page)
    const panel = a.page.getByTestId('versions-panel')
    await panel.getByTestId('versions-name').fill('报送前')
    await panel.getByTestId('versions-save').click()
    const saved = panel.getByTestId('version-item').filter({ hasText: '报送前' })
    await saved.waitFor({ timeout: 15_000 })
    expect(await saved.getAttribute('data-kind')).toBe('manual')
    // The author is the name the server takes from the token (the workspace token's: owner).
    expect(await saved.textContent()).toContain('owner')

    // Edit two cells after it; both pages see them.
    await typeInCell(a.page, 0, col, '甲站点改名')
    await typeInCell(a.page, 1, col, '乙站点改名')
    await waitSaved(a.page, { synced: true })
    await waitForCell(b.page, 1, col, '乙站点改名', 15_000)

    // 与当前比较: exactly the two changed cells, old → new; a click focuses the live cell.
    await saved.getByTestId('version-compare').click()
    const diff = panel.getByTestId('versions-diff')
    await diff.waitFor({ timeout: 15_000 })
    const cells = diff.locator('[data-testid="versions-diff-item"][data-kind="cell"]')
    await cells.first().waitFor()
    expect(await cells.count()).toBe(2)
    const texts = await cells.allTextContents()
    expect(texts[0]).toContain(orig0)
    expect(texts[0]).toContain('甲站点改名')
    expect(texts[1]).toContain(orig1)
    expect(texts[1]).toContain('乙站点改名')
    await cells.nth(1).locator('button').click()
    await a.page.waitForFunction(
      (sel) => document.querySelector(sel)?.classList.contains('ag-cell-focus') ?? false,
      cellSel(1, col),
      { timeout: 10_000 },
    )
    await screenshot(a.page, 'versions-panel-compare.png')

    // 回滚到此版本: confirm; a rollback version is kept first; both pages see the old values.
    await saved.getByTestId('version-rollback').click()
    const confirm = a.page.getByTestId('rollback-confirm')
    await confirm.waitFor()
    await screenshot(a.page, 'versions-rollback-confirm.png')
    await confirm.getByTestId('rollback-confirm-ok').click()
    await waitForCell(a.page, 0, col, orig0, 15_000)
    await waitForCell(a.page, 1, col, orig1)
    await waitForCell(b.page, 0, col, orig0, 15_000)
    await waitForCell(b.page, 1, col, orig1, 15_000)
    await panel
      .locator('[data-testid="version-item"][data-kind="rollback"]')
      .waitFor({ timeout: 15_000 })
    await screenshot(a.page, 'versions-panel-after-rollback.png')

    // One Ctrl+Z takes the whole rollback back, on both pages.
    await a.page.locator(cellSel(2, col)).click()
    await a.page.keyboard.press('Control+z')
    await waitForCell(a.page, 0, col, '甲站点改名', 10_000)
    await waitForCell(a.page, 1, col, '乙站点改名')
    await waitForCell(b.page, 0, col, '甲站点改名', 15_000)
    await waitForCell(b.page, 1, col, '乙站点改名', 15_000)

    // A viewer: lists and opens versions (a read-only grid of the version), no save/rollback/copy.
    await withViewer(t, 'ver-viewer', async (v) => {
      await v.page.getByTestId('readonly-notice').waitFor({ timeout: 15_000 })
      await openVersions(v.page)
      const vPanel = v.page.getByTestId('versions-panel')
      const item = vPanel.locator('[data-testid="version-item"][data-kind="manual"]')
      await item.waitFor({ timeout: 15_000 })
      expect(await vPanel.getByTestId('versions-save').count()).toBe(0)
      expect(await vPanel.getByTestId('version-rollback').count()).toBe(0)
      expect(await vPanel.getByTestId('version-copy').count()).toBe(0)
      expect(await vPanel.getByTestId('version-compare').count()).toBe(0)
      await vPanel.getByTestId('versions-viewer-note').waitFor()
      await item.getByTestId('version-open').click()
      const viewer = v.page.getByTestId('version-viewer')
      await viewer.waitFor({ timeout: 15_000 })
      await viewer.locator(cellSel(0, col)).waitFor({ timeout: 15_000 })
      const shown = await viewer.locator(cellSel(0, col)).textContent()
      expect(shown?.trim()).toBe(orig0)
      // Read-only: Enter opens no editor.
      await viewer.locator(cellSel(0, col)).click()
      await v.page.keyboard.press('Enter')
      expect(await v.page.locator('.version-viewer .tz-editor').count()).toBe(0)
      await screenshot(v.page, 'versions-viewer-open.png')
      await viewer.getByTestId('version-viewer-close').click()
      await viewer.waitFor({ state: 'detached' })
    })
  })
  it('an import keeps a version of the workbook before it (offline: skipped, the import goes on); 复制为新工作簿 opens a new workbook holding the version; offline the panel says so in zh-CN and English', async () => {
    const page = a.page
    const api = (path = '') =>
      fetch(`${server.origin}/api/workbooks/${workbookId}/versions${path}`, {
        headers: { authorization: `Bearer ${server.token}` },
      })
    const sheetId = await page.evaluate(() =>
      document
        .querySelector('[data-testid="sheet-tabs"] .tab.active')
        ?.getAttribute('data-sheet-id'),
    )
    expect(sheetId).toBeTruthy()
    await importCsv(page, '新站点.csv', '站点名称\n新导入的社工站\n', { mappingTimeout: 15_000 })
    await waitSaved(page, { synced: true })

    // The server holds a version of kind import, taken before the rows arrived.
    const list = (await (await api()).json()) as {
      versions: { id: string; kind: string; name: string }[]
    }
    const imp = list.versions.find((x) => x.kind === 'import')
    expect(imp?.name).toContain('新站点.csv')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, new Uint8Array(await (await api(`/${imp!.id}`)).arrayBuffer()))
    const then = Workbook.open(doc).workbook.sheet(sheetId!)
    const names = then.readRows().map((r) => r.cells[col])
    expect(names).not.toContain('新导入的社工站')
    const live = (await (await api()).json()) as { versions: unknown[] }
    expect(live.versions.length).toBe(list.versions.length)

    // 复制为新工作簿: a new workbook, titled after the version, with the version's values.
    await openVersions(page)
    const item = page
      .getByTestId('versions-panel')
      .locator('[data-testid="version-item"][data-kind="manual"]')
    await item.getByTestId('version-copy').click()
    await page.waitForFunction((id) => !location.hash.includes(id), workbookId, { timeout: 15_000 })
    await page.getByTestId('workbook').waitFor()
    await page.waitForFunction(
      () =>
        (
          document.querySelector('[data-testid="wb-title"]') as HTMLInputElement | null
        )?.value.includes('（报送前）'),
      undefined,
      { timeout: 15_000 },
    )
    const copyCols = await dataColumnIds(page)
    expect(copyCols[0]).toBe(col)
    await waitForCell(page, 0, col, firstName, 15_000)
    await screenshot(page, 'versions-copy.png')

    // Offline, the panel says so in both languages and offers nothing stale.
    await b.context.setOffline(true)
    try {
      await openVersions(b.page)
      const err = b.page.getByTestId('versions-error')
      await err.waitFor({ timeout: 15_000 })
      const msg = (await err.textContent()) ?? ''
      expect(msg).toContain('无法连接服务器')
      expect(msg).toContain('Cannot reach the server')
      expect(await b.page.getByTestId('version-item').count()).toBe(0)
      await screenshot(b.page, 'versions-offline.png')
      // An import offline is not held up: no version is taken (skipped silently), the rows arrive.
      await importCsv(b.page, '离线.csv', '站点名称\n离线导入的社工站\n', {
        mappingTimeout: 15_000,
      })
      await b.page
        .locator('.ag-cell', { hasText: '离线导入的社工站' })
        .first()
        .waitFor({ timeout: 15_000 })
    } finally {
      await b.context.setOffline(false)
    }

    await waitSaved(b.page, { synced: true })
    const after = (await (await api()).json()) as { versions: { kind: string }[] }
    expect(after.versions.filter((x) => x.kind === 'import')).toHaveLength(1)

    // Back online, 刷新 lists them again; in English the panel speaks English.
    const bPanel = b.page.getByTestId('versions-panel')
    await b.page.getByTestId('lang-switch').click()
    try {
      await bPanel.locator('header h3', { hasText: 'Versions' }).waitFor()
      await bPanel.getByRole('button', { name: 'Refresh' }).click()
      await bPanel.getByTestId('version-item').first().waitFor({ timeout: 15_000 })
      expect(await bPanel.getByTestId('versions-error').count()).toBe(0)
      expect(await bPanel.getByTestId('versions-save').textContent()).toBe('Save version')
      expect(await bPanel.getByTestId('version-rollback').first().textContent()).toBe(
        'Roll back to this version',
      )
      await screenshot(b.page, 'versions-panel-en.png')
    } finally {
      await b.page.getByTestId('lang-switch').click()
    }
  })
})
