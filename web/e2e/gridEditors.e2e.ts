import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellSel, cellText, columnNamed, screenshot, waitForCell } from './harness'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser
let dateCol: string

/** Types a date over a cell and waits until it shows. */
async function typeDate(p: Browser['page'], row: number, text: string): Promise<void> {
  await p.locator(cellSel(row, dateCol)).click()
  await p.keyboard.type(text)
  await p.keyboard.press('Enter')
  await waitForCell(p, row, dateCol, text)
}

describe('grid editors (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openTwoPages('editors', { b: { name: '李四', color: '#d97706' } })
    ;({ a, b } = t)
    dateCol = await columnNamed(a.page, '建站日期')
  })
  afterAll(() => t?.close())

  it('the date editor takes "2021/3/15" as 2021-03-15 and refuses "1315-02-02" with a message', async () => {
    const p = a.page
    await p.locator(cellSel(2, dateCol)).click()
    await p.keyboard.press('Enter')
    const input = p.locator('.tz-date-editor input')
    await input.waitFor()
    expect(await input.getAttribute('type')).toBe('text')
    await input.fill('2021/3/15')
    await p.keyboard.press('Enter')
    await waitForCell(p, 2, dateCol, '2021-03-15')
    await waitForCell(b.page, 2, dateCol, '2021-03-15')

    // A year outside 1900–2100: refused, the editor stays open and says why.
    const before = await cellText(p, 3, dateCol)
    await p.locator(cellSel(3, dateCol)).click()
    await p.keyboard.press('Enter')
    await input.waitFor()
    await input.fill('1315-02-02')
    await p.keyboard.press('Enter')
    const message = p.locator('.tz-date-error')
    await message.waitFor()
    expect(await message.textContent()).toContain('1900–2100')
    expect(await input.isVisible()).toBe(true)
    await screenshot(p, 'grid-date-editor-refused.png')
    // An impossible date too; Escape leaves the cell as it was.
    await input.fill('2023-02-30')
    await p.keyboard.press('Enter')
    await p.waitForFunction(() =>
      document.querySelector('.tz-date-error')?.textContent?.includes('不是存在的日期'),
    )
    await p.keyboard.press('Escape')
    await input.waitFor({ state: 'detached' })
    expect(await cellText(p, 3, dateCol)).toBe(before)

    // Type-over with other spellings and an Excel serial.
    for (const [typed, stored] of [
      ['2024年5月6日', '2024-05-06'],
      ['20240507', '2024-05-07'],
      ['45420', '2024-05-08'],
    ] as const) {
      await p.locator(cellSel(4, dateCol)).click()
      await p.keyboard.type(typed)
      await p.keyboard.press('Enter')
      await waitForCell(p, 4, dateCol, stored)
    }
  })

  it('Space ticks a checkbox; a key typed over an enum cell opens the picker filtered by it, Enter picks', async () => {
    const p = a.page
    const flag = await columnNamed(a.page, '示范社工站')
    const box = `${cellSel(0, flag)} input[type="checkbox"]`
    const was = await p.locator(box).isChecked()
    await p.locator(cellSel(0, flag)).click({ position: { x: 60, y: 10 } })
    await p.keyboard.press('Space')
    await p.waitForFunction(
      ([s, w]) => (document.querySelector(s as string) as HTMLInputElement)?.checked === !w,
      [box, was] as const,
    )
    await b.page.waitForFunction(
      ([s, w]) => (document.querySelector(s as string) as HTMLInputElement)?.checked === !w,
      [box, was] as const,
    )
    await p.keyboard.press('Space')
    await p.waitForFunction(
      ([s, w]) => (document.querySelector(s as string) as HTMLInputElement)?.checked === w,
      [box, was] as const,
    )

    const kind = await columnNamed(a.page, '类型')
    await p.locator(cellSel(1, kind)).click()
    // A key typed over the cell opens the picker with it as the filter (the key is not lost).
    await p.keyboard.press('x')
    await p.locator('.tz-picker').waitFor()
    expect(await p.locator('.tz-picker-search').inputValue()).toBe('x')
    // Chinese typed into the picker filters it; Enter picks the single match.
    await p.keyboard.press('Backspace')
    await p.keyboard.insertText('专项')
    expect(await p.locator('.tz-picker-search').inputValue()).toBe('专项')
    await p.waitForFunction(() => document.querySelectorAll('.tz-picker-item').length === 1)
    expect(await p.locator('.tz-picker-item').allTextContents()).toEqual(['专项社工站'])
    await p.keyboard.press('Enter')
    await waitForCell(p, 1, kind, '专项社工站')
  })

  // grid-ui (issue 12): type-over for every column type, and the date editor's calendar
  it('type-over starts the editor with the typed keys in every column type', async () => {
    const p = a.page
    // text, integer and date on the stations sheet
    const province = await columnNamed(a.page, '省份')
    await p.locator(cellSel(6, province)).click()
    await p.keyboard.type('Hubei')
    expect(await p.locator('.tz-editor').inputValue()).toBe('Hubei')
    await p.keyboard.press('Enter')
    await waitForCell(p, 6, province, 'Hubei')
    const workers = await columnNamed(a.page, '持证社工')
    await p.locator(cellSel(6, workers)).click()
    await p.keyboard.type('12')
    await p.keyboard.press('Enter')
    await waitForCell(p, 6, workers, '12')
    await p.locator(cellSel(6, dateCol)).click()
    await p.keyboard.type('2024/5/6')
    expect(await p.locator('.tz-date-editor input').inputValue()).toBe('2024/5/6')
    await p.keyboard.press('Enter')
    await waitForCell(p, 6, dateCol, '2024-05-06')

    // 万元 (money with 2 decimals) and a reference on the metrics sheet
    await p.locator('.sheet-tabs .tab', { hasText: '指标' }).click()
    const funding = await (async () => {
      await p.waitForFunction(() =>
        [...document.querySelectorAll('.ag-header-cell[col-id]')].some(
          (el) => el.textContent?.trim() === '投入资金（万元）',
        ),
      )
      return columnNamed(a.page, '投入资金（万元）')
    })()
    await p.locator(cellSel(0, funding)).click()
    await p.keyboard.type('12.5')
    expect(await p.locator('.tz-editor').inputValue()).toBe('12.5')
    await p.keyboard.press('Enter')
    await p.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes('12.50'),
      cellSel(0, funding),
    )
    const station = await columnNamed(a.page, '站点')
    await p.locator(cellSel(0, station)).click()
    // Chinese arrives as inserted text (no key events): it starts the picker filtered by it.
    await p.keyboard.insertText('朝歌')
    await p.locator('.tz-picker').waitFor()
    expect(await p.locator('.tz-picker-search').inputValue()).toBe('朝歌')
    await p.waitForFunction(() => document.querySelectorAll('.tz-picker-item').length === 1)
    await p.keyboard.press('Enter')
    await waitForCell(p, 0, station, '朝歌街道社工站')
    await p.locator('.sheet-tabs .tab', { hasText: '站点' }).click()
    await p.locator(cellSel(0, dateCol)).waitFor()
  })

  it('the date editor has a calendar: keys step days and months, a click picks, month names in zh and en', async () => {
    const p = a.page
    await typeDate(p, 7, '2022-01-10')
    await p.locator(cellSel(7, dateCol)).click()
    await p.keyboard.press('Enter')
    const input = p.locator('.tz-date-editor input')
    await input.waitFor()
    const title = p.locator('.tz-cal-title')
    expect(await title.textContent()).toBe('2022年1月')
    expect((await p.locator('.tz-cal-wd').allTextContents()).join('')).toBe('一二三四五六日')
    expect(await p.locator('.tz-cal-day.cursor').textContent()).toBe('10')
    await p.keyboard.press('ArrowDown')
    expect(await input.inputValue()).toBe('2022-01-11')
    await p.keyboard.press('PageDown')
    expect(await input.inputValue()).toBe('2022-02-11')
    expect(await title.textContent()).toBe('2022年2月')
    await screenshot(p, 'grid-date-calendar.png')
    // Enter writes what the keys chose.
    await p.keyboard.press('Enter')
    await waitForCell(p, 7, dateCol, '2022-02-11')

    // A click on a day writes it at once.
    await p.locator(cellSel(7, dateCol)).click()
    await p.keyboard.press('Enter')
    await input.waitFor()
    await p.locator('.tz-cal-day:not(.out)', { hasText: /^15$/ }).click()
    await waitForCell(p, 7, dateCol, '2022-02-15')

    // English month names in the English UI.
    await p.getByTestId('lang-switch').click()
    await p.locator(cellSel(7, dateCol)).click()
    await p.keyboard.press('Enter')
    await input.waitFor()
    expect(await title.textContent()).toBe('February 2022')
    await p.keyboard.press('Escape')
    await p.getByTestId('lang-switch').click()
    await p.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  })

  it('on a 390 px screen the date editor and its calendar stay on screen', async () => {
    const p = a.page
    await p.setViewportSize({ width: 390, height: 844 })
    try {
      // The date column is off screen at 390 px: get there with the keyboard (End, ←).
      const first = await columnNamed(a.page, '站点名称')
      await p.locator(cellSel(2, first)).click()
      await p.keyboard.press('End')
      await p.keyboard.press('ArrowLeft')
      await p.locator(cellSel(2, dateCol)).waitFor()
      await p.keyboard.press('Enter')
      const cal = p.locator('.tz-date-editor')
      await cal.waitFor()
      const box = (await cal.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(390)
      await screenshot(p, 'grid-date-calendar-390.png')
      await p.keyboard.press('Escape')
    } finally {
      await p.setViewportSize({ width: 1280, height: 760 })
    }
  })

  it('a column header cut short shows its full name on hover', async () => {
    const p = a.page
    const flag = await columnNamed(a.page, '示范社工站')
    await p.locator(`.ag-header-cell[col-id="${flag}"] .ag-header-cell-text`).hover()
    const tip = p.locator('.ag-tooltip')
    await tip.waitFor({ timeout: 10_000 })
    expect((await tip.textContent())?.trim()).toBe('示范社工站')
    await screenshot(p, 'grid-header-tooltip.png')
  })
})
