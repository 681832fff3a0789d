/**
 * Dialog keyboard (web/src/workbook/dialogKeys.ts) in real Chromium: a modal takes the focus when
 * it opens, so typing no longer reaches the grid behind it; Escape closes it; the focus goes back
 * to the cell, so the next keys edit the grid again. Export, access rules and share dialogs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellSel, clickToolbar, dataColumnIds, screenshot } from './harness'
import { firstRowShown, type OnePage, openOnePage } from './twoPages'

let t: OnePage
let br: Browser

/** Whether the focused element is inside the grid (a cell, or the grid's own focus holder). */
const focusInGrid = () =>
  br.page.evaluate(() => Boolean(document.activeElement?.closest('.ag-root-wrapper')))

describe('dialogs: focus moves in, Escape closes, focus comes back (real Chromium)', () => {
  beforeAll(async () => {
    t = await openOnePage('dialogs', { name: '周八', color: '#0d9488' }, { workbook: 'demo' })
    ;({ br } = t)
    await firstRowShown(br.page)
  }, 300_000)
  afterAll(async () => {
    await t?.close()
  })

  for (const [name, open, dialog] of [
    ['export', 'csv-export', 'csv-export-dialog'],
    ['access rules', 'access-rules-button', 'access-rules'],
    ['share', 'share', 'share-dialog'],
  ] as const) {
    it(`${name}: Escape closes it and the grid has the keyboard again`, async () => {
      const page = br.page
      const col = (await dataColumnIds(page))[0]!
      await page.locator(cellSel(1, col)).click()
      expect(await focusInGrid()).toBe(true)
      await clickToolbar(page, open)
      const box = page.getByTestId(dialog)
      await box.waitFor()
      // The dialog holds the focus: a key typed now does not start editing the cell behind it.
      await page.waitForFunction(
        () => !document.activeElement?.closest('.ag-root-wrapper'),
        undefined,
        { timeout: 5_000 },
      )
      await screenshot(page, `dialogs-${name.replace(' ', '-')}.png`)
      await page.keyboard.press('Escape')
      await box.waitFor({ state: 'detached', timeout: 5_000 })
      // Back on the cell: arrow keys move the grid's focus again.
      await page.waitForFunction(
        () => Boolean(document.activeElement?.closest('.ag-root-wrapper')),
        undefined,
        { timeout: 5_000 },
      )
      await page.keyboard.press('ArrowDown')
      await page.waitForFunction(
        (c) =>
          document.activeElement?.closest('.ag-row')?.getAttribute('row-index') === '2' &&
          document.activeElement?.closest('[col-id]')?.getAttribute('col-id') === c,
        col,
        { timeout: 5_000 },
      )
    })
  }
})
