import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ARTIFACTS,
  type Browser,
  cellSel,
  clickToolbar,
  dataColumnIds,
  importCsv,
  waitForCell,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

const ENSURE = join(import.meta.dirname, '../../test/fixtures/xlsx/ensure-poppler.sh')
const COLUMNS = 14
const ROWS = 70

let t: OnePage
let br: Browser
let dir = ''

/** Text of PDF pages `from`..`to` (poppler's pdftotext, keeping the layout). */
function pdfText(file: string, from: number, to = from): string {
  return execFileSync('pdftotext', ['-layout', '-f', String(from), '-l', String(to), file, '-'], {
    encoding: 'utf8',
  })
}

describe('Printing a sheet (real Chromium, PDF through CDP)', () => {
  beforeAll(async () => {
    execFileSync('sh', [ENSURE], { encoding: 'utf8', timeout: 300_000 })
    dir = mkdtempSync(join(tmpdir(), 'tz-print-'))
    t = await openOnePage('print', { name: '孙七', color: '#0891b2' }, { workbook: 'empty' })
    ;({ br } = t)
  }, 300_000)
  afterAll(async () => {
    await t?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('PRINT A4 landscape, title and date on top, header repeated on page 2, page numbers, split columns, no toolbar, in the sorted order', async () => {
    const page = br.page
    const header = ['站点名称', ...Array.from({ length: COLUMNS - 1 }, (_, i) => `指标${i + 1}`)]
    const lines = [header.join(',')]
    for (let r = 0; r < ROWS; r++)
      lines.push(
        [
          `站点${String(r).padStart(2, '0')}`,
          ...header.slice(1).map((_, c) => (r * 7 + c) % 500),
        ].join(','),
      )
    await importCsv(page, '月报.csv', `${lines.join('\r\n')}\r\n`)
    const cols = await dataColumnIds(page)
    await waitForCell(page, 0, cols[0]!, '站点00')
    // Sort by 站点名称, descending (the cell menu's 按此列降序): the print follows the grid's order.
    await page.locator(cellSel(0, cols[0]!)).click({ button: 'right' })
    await page.getByTestId('context-menu').getByRole('menuitem', { name: '按此列降序' }).click()
    await waitForCell(page, 0, cols[0]!, '站点69')

    // The print dialog is the browser's; the test prints through CDP instead of window.print().
    await page.evaluate(() => {
      window.print = () => {}
    })
    await clickToolbar(page, 'print')
    await page.getByTestId('print-root').waitFor({ state: 'attached' })
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.toolbar').isVisible()).toBe(false)
    expect(await page.getByTestId('print-root').isVisible()).toBe(true)
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true })
    await page.emulateMedia({ media: 'screen' })
    const file = join(dir, 'print.pdf')
    writeFileSync(file, pdf)
    writeFileSync(join(ARTIFACTS, 'print.pdf'), pdf)
    expect(pdf.length).toBeGreaterThan(10_000)

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1])
    expect(pages).toBeGreaterThanOrEqual(4) // 70 rows × 2 column groups
    // A4 landscape: 842 × 595 points.
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)/)

    const p1 = pdfText(file, 1)
    const p2 = pdfText(file, 2)
    expect(p1).toContain('月报')
    expect(p1).toMatch(/打印日期：\d{4}-\d{2}-\d{2}/)
    expect(p1).toContain(`第 1 页，共 ${pages} 页`)
    // The header row, the title and the date again on page 2.
    expect(p2).toContain('站点名称')
    expect(p2).toContain('指标1')
    expect(p2).toMatch(/打印日期：\d{4}-\d{2}-\d{2}/)
    expect(p2).toContain(`第 2 页，共 ${pages} 页`)
    // Rows in the grid's order (descending), and the split keeps the columns in order.
    expect(p1.indexOf('站点69')).toBeLessThan(p1.indexOf('站点68'))
    const all = pdfText(file, 1, pages)
    expect(all).toContain('第 1/2 部分：列 站点名称 – ')
    expect(all).toContain(`第 2/2 部分：列 `)
    expect(all).toContain(`指标${COLUMNS - 1}`)
    // No toolbar or button text was printed.
    expect(all).not.toContain('导入 CSV / Excel')
    expect(all).not.toContain('撤销')

    // After printing, the view is gone and the app is as it was.
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    expect(await page.getByTestId('print-root').count()).toBe(0)
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '2',
      '-l',
      '2',
      file,
      join(ARTIFACTS, 'print-page'),
    ])
  })
})
