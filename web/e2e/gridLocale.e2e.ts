import { AG_GRID_LOCALE_EN } from '@ag-grid-community/locale'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  createWorkbook,
  dataColumnIds,
  type Server,
  screenshot,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let server: Server
let a: Browser

/** AG Grid's English strings that a zh-CN page must never show (whole words, 3+ letters). */
const ENGLISH = [
  ...new Set(
    [
      'noRowsToShow',
      'contains',
      'notContains',
      'equals',
      'notEqual',
      'startsWith',
      'endsWith',
      'blank',
      'notBlank',
      'filterOoo',
      'lessThan',
      'greaterThan',
      'inRange',
      'andCondition',
      'orCondition',
      'applyFilter',
      'resetFilter',
      'clearFilter',
      'loadingOoo',
    ].map((k) => (AG_GRID_LOCALE_EN as Record<string, string>)[k]!),
  ),
]

/** Every English AG Grid string found in the page's visible text and in its inputs' placeholders. */
async function englishShown(br: Browser): Promise<string[]> {
  const text = await br.page.evaluate(() => {
    const inputs = [...document.querySelectorAll('input, select option')].map(
      (el) => `${(el as HTMLInputElement).placeholder ?? ''} ${el.textContent ?? ''}`,
    )
    return `${document.body.textContent}\n${inputs.join('\n')}`
  })
  return ENGLISH.filter((w) =>
    new RegExp(`(^|[^A-Za-z])${w.replace(/\./g, '\\.')}($|[^A-Za-z])`).test(text),
  )
}

describe('AG Grid speaks the app language (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openOnePage('locale', { name: '王敏', color: '#2563eb' })
    ;({ server, br: a } = t)
  })
  afterAll(() => t?.close())

  it('zh-CN: the text and number filter popups and the empty-sheet overlay have no English', async () => {
    const p = a.page
    await createWorkbook(p, server.origin, server.token, 'demo')
    const cols = await dataColumnIds(p)
    await p.locator(cellSel(0, cols[0]!)).waitFor()
    for (const col of [cols[0]!, cols[cols.length - 2]!]) {
      await p.locator(`.ag-header-cell[col-id="${col}"] .ag-header-cell-filter-button`).click()
      await p.locator('.ag-filter').first().waitFor()
      const select = p.locator('.ag-filter .ag-picker-field-wrapper').first()
      if (await select.count()) await select.click()
      const found = await englishShown(a)
      if (found.length) await screenshot(p, 'grid-locale-english.png')
      expect(found).toEqual([])
      expect(await p.locator('.ag-filter').first().textContent()).toMatch(/[\u4e00-\u9fff]/)
      await screenshot(p, `grid-locale-filter-${col}.png`)
      await p.keyboard.press('Escape')
      await p.keyboard.press('Escape')
      await p.locator(cellSel(1, cols[0]!)).click()
    }
    // A sheet with no rows shows AG Grid's overlay, in Chinese.
    await p.locator('[data-testid="sheet-tabs"] .tab.add').click()
    await p.locator('.ag-overlay-no-rows-center, .ag-overlay-no-rows-wrapper').first().waitFor()
    expect(await englishShown(a)).toEqual([])
    expect(await p.locator('.ag-overlay').first().textContent()).toContain('无显示行')
  })
})
