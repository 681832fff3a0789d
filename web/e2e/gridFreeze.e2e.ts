import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellSel, dataColumnIds, type Server, screenshot } from './harness'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let server: Server
let a: Browser
let b: Browser
let cols: string[]
let wbId: string

/** The data columns whose header sits in AG Grid's pinned-left area, in order. */
async function pinnedColumns(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll('.ag-header-cell[col-id]')]
      .filter((el) => el.closest('.ag-grid-pinned-left-cells'))
      .map((el) => el.getAttribute('col-id')!)
      .filter((id) => id !== '__rownum'),
  )
}

/** Whether a cell's text is wider than the cell (measured on the text itself). */
function textOverflows(sel: string): boolean {
  const cell = document.querySelector(sel) as HTMLElement
  const range = document.createRange()
  range.selectNodeContents(cell.querySelector('.tz-cell')!)
  return range.getBoundingClientRect().width > cell.clientWidth
}

async function waitPinned(p: Page, expected: string[]): Promise<void> {
  await p.waitForFunction(
    (exp) =>
      JSON.stringify(
        [...document.querySelectorAll('.ag-header-cell[col-id]')]
          .filter((el) => el.closest('.ag-grid-pinned-left-cells'))
          .map((el) => el.getAttribute('col-id')!)
          .filter((id) => id !== '__rownum'),
      ) === JSON.stringify(exp),
    expected,
    { timeout: 10_000 },
  )
}

describe('grid columns: freeze, header wrap and fit (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openTwoPages('freeze', { b: { name: '李四', color: '#d97706' }, openB: false })
    ;({ server, a, b, workbookId: wbId } = t)
    cols = await dataColumnIds(a.page)
    await a.page.locator(cellSel(0, cols[0]!)).waitFor()
  })
  afterAll(() => t?.close())

  it('freezes up to the focused column from the context menu, per device, and unfreezes from 更多', async () => {
    const p = a.page
    // A sheet opens with its first column frozen.
    expect(await pinnedColumns(p)).toEqual([cols[0]])
    await p.locator(cellSel(1, cols[2]!)).click({ button: 'right' })
    await p.locator('.context-menu [role="menuitem"]', { hasText: '冻结至此列' }).click()
    await waitPinned(p, cols.slice(0, 3))
    await screenshot(p, 'grid-freeze-1280.png')

    // Saved on this device, keyed by workbook and sheet: a reload keeps it…
    const keys = await p.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('taizhang.freeze.')),
    )
    expect(keys).toHaveLength(1)
    await p.reload()
    await p.locator(cellSel(0, cols[0]!)).waitFor({ timeout: 15_000 })
    await waitPinned(p, cols.slice(0, 3))
    // …and it is not in the shared doc: another person opening the workbook sees the default.
    await b.page.goto(`${server.origin}/#/w/${wbId}?token=${encodeURIComponent(server.token)}`)
    await b.page.locator(cellSel(0, cols[0]!)).waitFor({ timeout: 15_000 })
    expect(await pinnedColumns(b.page)).toEqual([cols[0]])

    // 更多 → 取消冻结列: no data column stays pinned (the row numbers do).
    await p.locator(cellSel(0, cols[1]!)).click()
    await p.getByTestId('toolbar-more').click()
    await p.locator('.context-menu [role="menuitem"]', { hasText: '取消冻结列' }).click()
    await waitPinned(p, [])
    expect(
      await p.evaluate(
        () =>
          !!document
            .querySelector('.ag-header-cell[col-id="__rownum"]')
            ?.closest('.ag-grid-pinned-left-cells'),
      ),
    ).toBe(true)
    // 更多 offers freezing too.
    await p.locator(cellSel(0, cols[1]!)).click()
    await p.getByTestId('toolbar-more').click()
    await p.locator('.context-menu [role="menuitem"]', { hasText: '冻结至此列' }).click()
    await waitPinned(p, cols.slice(0, 2))
  })

  it('on a 390 px screen only what fits in 40% stays pinned; the frozen set comes back when wide', async () => {
    const p = a.page
    await p.locator(cellSel(0, cols[3]!)).click({ button: 'right' })
    await p.locator('.context-menu [role="menuitem"]', { hasText: '冻结至此列' }).click()
    await waitPinned(p, cols.slice(0, 4))
    await p.setViewportSize({ width: 390, height: 844 })
    await waitPinned(p, cols.slice(0, 1))
    const share = await p.evaluate(() => {
      const grid = document.querySelector('.ag-root-wrapper')!.getBoundingClientRect().width
      const pinned = [...document.querySelectorAll('.ag-header-cell[col-id]')]
        .filter((el) => el.closest('.ag-grid-pinned-left-cells'))
        .reduce((w, el) => w + el.getBoundingClientRect().width, 0)
      return pinned / grid
    })
    expect(share).toBeLessThanOrEqual(0.41)
    await screenshot(p, 'grid-freeze-390.png')
    await p.setViewportSize({ width: 1280, height: 760 })
    await waitPinned(p, cols.slice(0, 4))
  })

  it('long headers wrap; double-clicking the resize border fits the column to its content', async () => {
    const p = a.page
    // 运营机构 holds names far longer than its header: shrink it, then fit it.
    const operator = await p.evaluate(
      () =>
        [...document.querySelectorAll('.ag-header-cell[col-id]')]
          .find((el) => el.textContent?.trim() === '运营机构')
          ?.getAttribute('col-id') ?? '',
    )
    const header = p.locator(`.ag-header-cell[col-id="${operator}"]`)
    const resize = header.locator('.ag-header-cell-resize')
    const box = (await resize.boundingBox())!
    await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await p.mouse.down()
    await p.mouse.move(box.x - 120, box.y + box.height / 2, { steps: 5 })
    await p.mouse.up()
    const narrow = (await header.boundingBox())!.width
    // The cut cell text is wider than the column now.
    const cut = await p.evaluate(textOverflows, cellSel(1, operator))
    expect(cut).toBe(true)
    const box2 = (await resize.boundingBox())!
    await p.mouse.dblclick(box2.x + box2.width / 2, box2.y + box2.height / 2)
    await p.waitForFunction(
      ([sel, w]) =>
        (document.querySelector(sel as string) as HTMLElement).getBoundingClientRect().width >
        (w as number) + 40,
      [`.ag-header-cell[col-id="${operator}"]`, narrow] as const,
    )
    expect(await p.evaluate(textOverflows, cellSel(1, operator))).toBe(false)

    // A long name in a narrow column wraps onto two lines instead of being cut.
    const flag = await p.evaluate(
      () =>
        [...document.querySelectorAll('.ag-header-cell[col-id]')]
          .find((el) => el.textContent?.trim() === '示范社工站')
          ?.getAttribute('col-id') ?? '',
    )
    const label = p.locator(`.ag-header-cell[col-id="${flag}"] .ag-header-cell-text`)
    const lines = await label.evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)))
      return { lines: tops.size, cut: el.scrollWidth > el.clientWidth }
    })
    expect(lines.cut).toBe(false)
    expect(lines.lines).toBeGreaterThan(1)
    await screenshot(p, 'grid-header-fit.png')
  })
})
