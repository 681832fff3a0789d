import type { CDPSession } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellText,
  columnNamed,
  dataColumnIds,
  screenshot,
  waitForCell,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

let t: OnePage
let a: Browser
let cdp: CDPSession

/**
 * What a Chinese IME does, through the DevTools protocol (not keyboard.type): pinyin shown as a
 * composition, step by step, then the chosen characters committed.
 */
async function compose(pinyin: string, committed: string): Promise<void> {
  for (let i = 1; i <= pinyin.length; i++) {
    await cdp.send('Input.imeSetComposition', {
      text: pinyin.slice(0, i),
      selectionStart: i,
      selectionEnd: i,
    })
  }
  await cdp.send('Input.insertText', { text: committed })
}

describe('IME over a selected cell (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openOnePage('ime-a', { name: '王敏', color: '#2563eb' }, { workbook: 'demo' })
    ;({ br: a } = t)
    const cols = await dataColumnIds(a.page)
    await a.page.locator(cellSel(0, cols[0]!)).waitFor()
    cdp = await a.context.newCDPSession(a.page)
  })
  afterAll(() => t?.close())

  it('a composition over a selected text cell starts its editor with the committed text', async () => {
    const p = a.page
    const operator = await columnNamed(p, '运营机构')
    await p.locator(cellSel(0, operator)).click()
    // Mid-composition: the pinyin is in the focused cell, no editor yet.
    await cdp.send('Input.imeSetComposition', { text: 'she', selectionStart: 3, selectionEnd: 3 })
    expect(
      await p.evaluate(
        (sel) => document.activeElement === document.querySelector(sel),
        cellSel(0, operator),
      ),
    ).toBe(true)
    await screenshot(p, 'grid-ime-composing.png')
    await cdp.send('Input.insertText', { text: '社工' })
    const editor = p.locator('.tz-editor')
    await editor.waitFor()
    expect(await editor.inputValue()).toBe('社工')
    // The next word composes in the open editor, after the first.
    await compose('fuwu', '服务')
    expect(await editor.inputValue()).toBe('社工服务')
    await screenshot(p, 'grid-ime-editor.png')
    await p.keyboard.press('Enter')
    await waitForCell(p, 0, operator, '社工服务')
    // Enter moved the focus down; the cell below is ready for the next composition.
    await compose('zhongxin', '中心')
    await editor.waitFor()
    expect(await editor.inputValue()).toBe('中心')
    await p.keyboard.press('Enter')
    await waitForCell(p, 1, operator, '中心')
  })

  it('Escape after a composition leaves the cell as it was; Latin type-over still types once', async () => {
    const p = a.page
    const district = await columnNamed(p, '区县')
    const before = await cellText(p, 2, district)
    await p.locator(cellSel(2, district)).click()
    await compose('quxian', '区县')
    const editor = p.locator('.tz-editor')
    await editor.waitFor()
    await p.keyboard.press('Escape')
    await editor.waitFor({ state: 'detached' })
    // Nothing the IME wrote is left in the cell.
    expect(await cellText(p, 2, district)).toBe(before)

    await p.locator(cellSel(3, district)).click()
    await p.keyboard.type('abc')
    await p.keyboard.press('Enter')
    await waitForCell(p, 3, district, 'abc')
  })

  it('a composition over an enum cell filters the picker; over a date cell the date editor parses it', async () => {
    const p = a.page
    const kind = await columnNamed(p, '类型')
    await p.locator(cellSel(4, kind)).click()
    await compose('zhuanxiang', '专项')
    await p.locator('.tz-picker').waitFor()
    expect(await p.locator('.tz-picker-search').inputValue()).toBe('专项')
    await p.waitForFunction(() => document.querySelectorAll('.tz-picker-item').length === 1)
    await p.keyboard.press('Enter')
    await waitForCell(p, 4, kind, '专项社工站')

    const date = await columnNamed(p, '建站日期')
    await p.locator(cellSel(5, date)).click()
    await compose('2024nian5yue6ri', '2024年5月6日')
    const input = p.locator('.tz-date-editor input')
    await input.waitFor()
    expect(await input.inputValue()).toBe('2024年5月6日')
    await p.keyboard.press('Enter')
    await waitForCell(p, 5, date, '2024-05-06')
  })

  it('on a 390 px screen (mouse) a composition over a cell still starts its editor', async () => {
    const p = a.page
    await p.setViewportSize({ width: 390, height: 844 })
    try {
      const name = await columnNamed(p, '站点名称')
      await p.locator(cellSel(8, name)).click()
      await compose('shequ', '社区')
      const editor = p.locator('.tz-editor')
      await editor.waitFor()
      expect(await editor.inputValue()).toBe('社区')
      // The composition left nothing in any cell's text (only the editor holds it).
      const strays = await p.evaluate(() =>
        [...document.querySelectorAll('.ag-cell')]
          .filter((c) => c.textContent?.includes('社区'))
          .map(
            (c) => `${c.getAttribute('col-id')}@${c.closest('.ag-row')?.getAttribute('row-index')}`,
          ),
      )
      expect(strays).toEqual([])
      await screenshot(p, 'grid-ime-editor-390.png')
      await p.keyboard.press('Escape')
      await editor.waitFor({ state: 'detached' })
    } finally {
      await p.setViewportSize({ width: 1280, height: 760 })
    }
  })
})
