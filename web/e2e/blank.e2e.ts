/**
 * Issue #12 "Sensible blanks": a new blank workbook opens on one sheet with typed columns, and
 * importing a file there replaces that untouched sheet in one undo step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  createWorkbook,
  dataColumnIds,
  type Server,
  screenshot,
  waitForCell,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let server: Server
let br: Browser

const tabNames = (b: Browser) =>
  b.page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]').allTextContents()

describe('a new blank workbook (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openOnePage('blank', { name: '周八', color: '#7c3aed' })
    ;({ server, br } = t)
  })
  afterAll(() => t?.close())

  it('shows one sheet with typed 名称/日期/数量/备注 columns', async () => {
    const page = br.page
    await createWorkbook(page, server.origin, server.token, 'empty')
    const cols = await dataColumnIds(page)
    expect(cols).toHaveLength(4)
    expect((await tabNames(br)).map((s) => s.trim())).toEqual(['工作表1'])
    const headers = await page
      .locator('.ag-header-cell[col-id] .ag-header-cell-text')
      .allTextContents()
    expect(headers.map((h) => h.trim()).filter((h) => h !== '' && h !== '#')).toEqual([
      '名称',
      '日期',
      '数量',
      '备注',
    ])
    await screenshot(page, 'blank-workbook.png')
    // Typed: the quantity column formats a number, the date column reads a Chinese date.
    await page.getByTestId('add-row').click()
    await page.locator(cellSel(0, cols[2]!)).waitFor()
    for (const [col, text] of [
      [cols[2]!, '1197'],
      [cols[1]!, '2024年5月1日'],
    ] as const) {
      await page.locator(cellSel(0, col)).click()
      await page.keyboard.press('Enter')
      const editor = page.locator('.tz-editor')
      await editor.waitFor({ timeout: 5000 })
      await editor.fill(text)
      await page.keyboard.press('Enter')
      await editor.waitFor({ state: 'detached', timeout: 5000 })
    }
    await waitForCell(page, 0, cols[2]!, '1,197')
    await waitForCell(page, 0, cols[1]!, '2024-05-01')
  })

  it('importing into an untouched blank sheet replaces it; one undo brings it back', async () => {
    const page = br.page
    await createWorkbook(page, server.origin, server.token, 'empty')
    expect((await tabNames(br)).map((s) => s.trim())).toEqual(['工作表1'])
    await page.getByTestId('csv-file-input').setInputFiles({
      name: '站点.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('站点名称,服务人次\n殷行街道社工站,583\n'),
    })
    await page.getByTestId('csv-mapping').waitFor()
    expect(await page.getByTestId('csv-replaces-blank').textContent()).toContain('工作表1')
    await page.getByTestId('csv-check').click()
    await page.getByTestId('csv-review').waitFor()
    await page.getByTestId('csv-apply').click()
    await page.getByTestId('csv-close').click()
    await expect.poll(async () => (await tabNames(br)).map((s) => s.trim())).toEqual(['站点'])
    const cols = await dataColumnIds(page)
    await waitForCell(page, 0, cols[0]!, '殷行街道社工站')
    await page.getByTestId('undo').click()
    await expect.poll(async () => (await tabNames(br)).map((s) => s.trim())).toEqual(['工作表1'])
  })
})
