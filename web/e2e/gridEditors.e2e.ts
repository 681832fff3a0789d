import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellText,
  createWorkbook,
  dataColumnIds,
  openBrowser,
  type Server,
  screenshot,
  startServer,
  waitForCell,
} from './harness'

let server: Server
let a: Browser
let b: Browser
let dateCol: string

/** The column id whose header reads `name`. */
async function columnNamed(br: Browser, name: string): Promise<string> {
  const id = await br.page.evaluate(
    (n) =>
      [...document.querySelectorAll('.ag-header-cell[col-id]')]
        .find((el) => el.textContent?.trim() === n)
        ?.getAttribute('col-id') ?? null,
    name,
  )
  if (!id) throw new Error(`no column ${name}`)
  return id
}

describe('grid editors (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    server = await startServer()
    a = await openBrowser('editors-a', { name: '王敏', color: '#2563eb' })
    b = await openBrowser('editors-b', { name: '李四', color: '#d97706' })
    const id = await createWorkbook(a.page, server.origin, server.token, 'demo')
    const cols = await dataColumnIds(a.page)
    await a.page.locator(cellSel(0, cols[0]!)).waitFor()
    dateCol = await columnNamed(a, '建站日期')
    await b.page.goto(`${server.origin}/#/w/${id}?token=${encodeURIComponent(server.token)}`)
    await b.page.locator(cellSel(0, cols[0]!)).waitFor({ timeout: 15_000 })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await server?.stop()
  })

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
    const flag = await columnNamed(a, '示范社工站')
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

    const kind = await columnNamed(a, '类型')
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

  it('a column header cut short shows its full name on hover', async () => {
    const p = a.page
    const flag = await columnNamed(a, '示范社工站')
    await p.locator(`.ag-header-cell[col-id="${flag}"] .ag-header-cell-text`).hover()
    const tip = p.locator('.ag-tooltip')
    await tip.waitFor({ timeout: 10_000 })
    expect((await tip.textContent())?.trim()).toBe('示范社工站')
    await screenshot(p, 'grid-header-tooltip.png')
  })
})
