import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellSel, cellText, dataColumnIds, screenshot, waitForCell } from './harness'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let a: Browser
let b: Browser
let name: string

/** The first column (station names) of rows r0..r1 on a page. */
async function names(br: Browser, r0: number, r1: number): Promise<string[]> {
  const out: string[] = []
  for (let r = r0; r <= r1; r++) out.push(await cellText(br.page, r, name))
  return out
}

async function expectNames(r0: number, want: string[]): Promise<void> {
  for (const br of [a, b])
    for (let i = 0; i < want.length; i++) await waitForCell(br.page, r0 + i, name, want[i]!)
}

/** Clicks a row number away from its drag handle (which sits at its left edge). */
async function clickRowNumber(br: Browser, row: number): Promise<void> {
  const box = (await br.page.locator(cellSel(row, '__rownum')).boundingBox())!
  await br.page.mouse.click(box.x + box.width - 8, box.y + box.height / 2)
}

describe('row moves (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openTwoPages('rows', { b: { name: '李四', color: '#d97706' } })
    ;({ a, b } = t)
    name = (await dataColumnIds(a.page))[0]!
    await b.page.locator(cellSel(0, name)).waitFor({ timeout: 15_000 })
  })
  afterAll(() => t?.close())

  it('Alt+Shift+↓ moves the selected rows down on both pages; one undo puts them back', async () => {
    const start = await names(a, 1, 4)
    await expectNames(1, start)
    await clickRowNumber(a, 1)
    await a.page
      .locator(cellSel(2, '__rownum'))
      .click({ modifiers: ['Shift'], position: { x: 50, y: 10 } })
    await a.page.keyboard.press('Alt+Shift+ArrowDown')
    await expectNames(1, [start[2]!, start[0]!, start[1]!, start[3]!])
    // The range moved with the rows: again moves the same two.
    await a.page.keyboard.press('Alt+Shift+ArrowDown')
    await expectNames(1, [start[2]!, start[3]!, start[0]!, start[1]!])
    await a.page.keyboard.press('Alt+Shift+ArrowUp')
    await expectNames(1, [start[2]!, start[0]!, start[1]!, start[3]!])
    // Each move is one undo step.
    await a.page.keyboard.press('Control+z')
    await expectNames(1, [start[2]!, start[3]!, start[0]!, start[1]!])
    await a.page.keyboard.press('Control+z')
    await a.page.keyboard.press('Control+z')
    await expectNames(1, start)
  })

  it('the context menu moves a row up, and the row handle drags a row down', async () => {
    const start = await names(a, 5, 9)
    await a.page.locator(cellSel(7, name)).click({ button: 'right' })
    await a.page.locator('.context-menu [role="menuitem"]', { hasText: '上移' }).click()
    await expectNames(5, [start[0]!, start[2]!, start[1]!, start[3]!, start[4]!])
    // Drag row 6 (index 5) by its handle onto row 9 (index 8).
    const from = (await a.page.locator(cellSel(5, '__rownum')).boundingBox())!
    const to = (await a.page.locator(cellSel(8, '__rownum')).boundingBox())!
    await a.page.mouse.move(from.x + 8, from.y + from.height / 2)
    await a.page.mouse.down()
    await a.page.mouse.move(to.x + 30, to.y + to.height / 2, { steps: 8 })
    await screenshot(a.page, 'grid-row-drag.png')
    await a.page.mouse.up()
    await expectNames(5, [start[2]!, start[1]!, start[3]!, start[0]!, start[4]!])
    expect(await names(b, 5, 9)).toEqual([start[2]!, start[1]!, start[3]!, start[0]!, start[4]!])
  })
})
