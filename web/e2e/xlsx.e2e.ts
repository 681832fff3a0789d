import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, dataColumnIds, screenshot, waitForCell } from './harness'
import { type OnePage, openOnePage } from './twoPages'

// Written by exceljs (test/fixtures/xlsx/generate.ts): a merged title row, a two-row merged header,
// 万元/%/date formats, a formula, hidden row and column, a 合计 row, and a second worksheet.
const TEMPLATE = join(import.meta.dirname, '../../test/fixtures/xlsx/bureau-template.xlsx')

let t: OnePage
let br: Browser

describe('XLSX in the browser (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openOnePage('xlsx', { name: '赵六', color: '#7c3aed' }, { workbook: 'empty' })
    ;({ br } = t)
  })
  afterAll(() => t?.close())

  it('XLSX1 the import dialog reads a two-sheet workbook with a merged header into two typed sheets', async () => {
    const page = br.page
    await page.getByTestId('csv-file-input').setInputFiles({
      name: '社工站台账.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: readFileSync(TEMPLATE),
    })
    await page.getByTestId('xlsx-options').waitFor()
    expect(await page.getByTestId('xlsx-worksheet').locator('option').allTextContents()).toEqual([
      '2024年服务台账',
      '志愿者',
    ])
    const mappingText = await page.getByTestId('csv-mapping-table').textContent()
    expect(mappingText).toContain('2024年 · 1月')
    expect(mappingText).toContain('2024年 · 3月')
    const notes = await page.getByTestId('xlsx-notes').textContent()
    expect(notes).toContain('XX区社工站服务台账（2024年）')
    expect(notes).toContain('第 8 行“合计”是合计行，默认不导入')
    expect(notes).toContain('公式')
    // The CSV-only settings (encoding, delimiter) are not shown for a workbook.
    expect(await page.getByTestId('csv-encoding').isVisible()).toBe(false)
    await page.getByTestId('xlsx-also-志愿者').check()
    await screenshot(page, 'xlsx-import-dialog.png')
    await page.getByTestId('csv-check').click()
    await page.getByTestId('csv-review').waitFor()
    expect(await page.getByTestId('csv-summary').textContent()).toContain('将新增 4 行')
    await page.getByTestId('csv-apply').click()
    await page.getByTestId('csv-done').waitFor()
    expect(await page.getByTestId('xlsx-more-done').textContent()).toContain('“志愿者”新增 2 行')
    await page.getByTestId('csv-close').click()

    const tabs = await page.getByTestId('sheet-tabs').textContent()
    expect(tabs).toContain('XX区社工站服务台账（2024年）')
    expect(tabs).toContain('志愿者')
    const cols = await dataColumnIds(page)
    expect(cols).toHaveLength(8)
    await waitForCell(page, 0, cols[0]!, '殷行街道社工站')
    await waitForCell(page, 0, cols[2]!, '120')
    await waitForCell(page, 0, cols[7]!, '2021-05-24')
    // 街道 merged over two rows: filled by default.
    await waitForCell(page, 3, cols[1]!, '桥盟街道')
    await screenshot(page, 'xlsx-imported.png')
  })

  it('XLSX4 exports the whole workbook as .xlsx; an independent reader sees typed, formatted cells', async () => {
    const page = br.page
    await page.getByTestId('csv-export').click()
    await page.getByTestId('export-format').selectOption('xlsx')
    await page.getByTestId('xlsx-export-scope').selectOption('all')
    await page.getByTestId('xlsx-title-row').check()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-export-download').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['XX区社工站服务台账（2024年）', '志愿者'])
    const ws = wb.worksheets[0]!
    expect(ws.getCell('A2').value).toBe('站点名称')
    expect(ws.getCell('A3').value).toBe('殷行街道社工站')
    expect([ws.getCell('C3').value, ws.getCell('C3').numFmt]).toEqual([120, '#,##0'])
    expect(ws.getCell('F3').value).toBe(0.637)
    expect(ws.getCell('G3').numFmt).toBe('0.00"万元"')
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 })
    const vol = wb.worksheets[1]!
    expect([vol.getCell('C3').value, vol.getCell('B4').value]).toEqual([true, '—'])
  })
})
