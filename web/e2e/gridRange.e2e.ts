import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  cellText,
  dataColumnIds,
  type Server,
  screenshot,
  waitForCell,
} from './harness'
import { openTwoPages, type TwoPages } from './twoPages'

let t: TwoPages
let server: Server
let a: Browser
let b: Browser
let cols: string[]

/** The text of a block of cells, row by row (as the grid shows it). */
async function block(br: Browser, r0: number, r1: number, colIds: string[]): Promise<string[][]> {
  const out: string[][] = []
  for (let r = r0; r <= r1; r++) {
    const row: string[] = []
    for (const c of colIds) row.push(await cellText(br.page, r, c))
    out.push(row)
  }
  return out
}

async function inRange(br: Browser): Promise<number> {
  return br.page.locator('.ag-cell.tz-in-range').count()
}

/** Drags with the mouse from one cell to another. */
async function drag(br: Browser, from: [number, string], to: [number, string]): Promise<void> {
  const p = br.page
  const f = (await p.locator(cellSel(...from)).boundingBox())!
  const t = (await p.locator(cellSel(...to)).boundingBox())!
  await p.mouse.move(f.x + f.width / 2, f.y + f.height / 2)
  await p.mouse.down()
  await p.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 6 })
  await p.mouse.up()
}

describe('grid ranges (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openTwoPages('range', {
      a: { name: '张三', color: '#2563eb' },
      b: { name: '李四', color: '#d97706' },
    })
    ;({ server, a, b } = t)
    for (const br of [a, b])
      await br.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: server.origin,
      })
    cols = await dataColumnIds(a.page)
    await b.page.locator(cellSel(0, cols[0]!)).waitFor({ timeout: 15_000 })
  })

  afterAll(() => t?.close())

  it('drag, Shift+click, Shift+arrows, Ctrl+A and a header click select blocks', async () => {
    const p = a.page
    await drag(a, [0, cols[1]!], [2, cols[3]!])
    await p.waitForFunction(() => document.querySelectorAll('.ag-cell.tz-in-range').length === 9)
    expect(await p.getByTestId('status-bar').textContent()).toContain('已选 3 行 × 3 列')
    await screenshot(p, 'grid-range-drag.png')
    // Shift+click extends from the anchor.
    await p.locator(cellSel(0, cols[1]!)).click()
    await p.locator(cellSel(1, cols[2]!)).click({ modifiers: ['Shift'] })
    await p.waitForFunction(() => document.querySelectorAll('.ag-cell.tz-in-range').length === 4)
    // Shift+arrows move the far corner; the active cell stays.
    const active = await p.evaluate(() =>
      document.querySelector('.ag-cell-focus')?.getAttribute('col-id'),
    )
    await p.keyboard.press('Shift+ArrowDown')
    await p.keyboard.press('Shift+ArrowRight')
    await p.waitForFunction(() => document.querySelectorAll('.ag-cell.tz-in-range').length === 9)
    const focused = await p.evaluate(() =>
      document.querySelector('.ag-cell-focus')?.getAttribute('col-id'),
    )
    expect(focused).toBe(active)
    // Ctrl+A: every shown cell of every row.
    await p.keyboard.press('Control+a')
    await p.waitForFunction(
      (n) => document.querySelectorAll('.ag-cell.tz-in-range').length >= n,
      cols.length * 5,
    )
    // A column header click selects the column (and does not sort it).
    const before = await cellText(a.page, 0, cols[0]!)
    await p.locator(`.ag-header-cell[col-id="${cols[2]}"] .ag-header-cell-label`).click()
    await p.waitForFunction(
      (c) =>
        [...document.querySelectorAll('.ag-cell.tz-in-range')].every(
          (el) => el.getAttribute('col-id') === c,
        ) && document.querySelectorAll('.ag-cell.tz-in-range').length > 3,
      cols[2]!,
    )
    expect(await cellText(a.page, 0, cols[0]!)).toBe(before)
    // A row-number click selects the whole row.
    await p.locator(cellSel(4, '__rownum')).click()
    await p.waitForFunction(
      (n) => document.querySelectorAll('.ag-row[row-index="4"] .ag-cell.tz-in-range').length >= n,
      Math.min(cols.length, 4),
    )
    expect(await inRange(a)).toBeGreaterThan(0)
  })

  it('a copied range pastes into a second sheet as the same block (TSV)', async () => {
    const p = a.page
    const srcCols = cols.slice(1, 4)
    const source = await block(a, 0, 2, srcCols)
    await drag(a, [0, srcCols[0]!], [2, srcCols[2]!])
    await p.waitForFunction(() => document.querySelectorAll('.ag-cell.tz-in-range').length === 9)
    await p.keyboard.press('Control+c')
    const tsv = await p.evaluate(() => navigator.clipboard.readText())
    expect(tsv).toBe(source.map((r) => r.join('\t')).join('\r\n'))
    // To the third sheet (地区), at its first cell.
    await p.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]').nth(2).click()
    const other = await dataColumnIds(p)
    await p.locator(cellSel(0, other[0]!)).waitFor()
    await p.waitForFunction(
      (c) =>
        document
          .querySelector('.ag-header-cell[col-id]:not([col-id="__rownum"])')
          ?.getAttribute('col-id') === c,
      other[0]!,
    )
    await p.locator(cellSel(0, other[0]!)).click()
    await p.keyboard.press('Control+v')
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) await waitForCell(p, r, other[c]!, source[r]![c]!)
    expect(await block(a, 0, 2, other.slice(0, 3))).toEqual(source)
    // The pasted block is selected: copying it gives the same TSV back.
    await p.evaluate(() => navigator.clipboard.writeText(''))
    await p.keyboard.press('Control+c')
    expect(await p.evaluate(() => navigator.clipboard.readText())).toBe(tsv)
    await p.keyboard.press('Control+z')
    await p.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]').nth(0).click()
    await p.locator(cellSel(0, cols[0]!)).waitFor()
  })

  it('a range cleared on A disappears on B in one change and comes back with one undo', async () => {
    const block3 = cols.slice(1, 3)
    const want = await block(a, 5, 7, block3)
    expect(want.flat().every((v) => v !== '')).toBe(true)
    for (let r = 5; r <= 7; r++)
      for (const c of block3) await waitForCell(b.page, r, c, want[r - 5]![block3.indexOf(c)]!)
    // B records, every frame, how many of the six cells are non-empty.
    await b.page.evaluate(
      (sels) => {
        const seen: number[] = []
        ;(window as unknown as { __seen: number[] }).__seen = seen
        const tick = () => {
          // A cell's value, without the label of a collaborator standing on it.
          const text = (s: string) => {
            const el = document.querySelector(s)?.cloneNode(true) as HTMLElement | undefined
            for (const x of el?.querySelectorAll('.tz-peer') ?? []) x.remove()
            return el?.textContent?.trim() ?? ''
          }
          const n = sels.filter((s) => text(s) !== '').length
          if (seen[seen.length - 1] !== n) seen.push(n)
          requestAnimationFrame(tick)
        }
        tick()
      },
      [5, 6, 7].flatMap((r) => block3.map((c) => cellSel(r, c))),
    )
    await a.page.locator(cellSel(5, block3[0]!)).click()
    await a.page.locator(cellSel(7, block3[1]!)).click({ modifiers: ['Shift'] })
    await a.page.keyboard.press('Delete')
    for (let r = 5; r <= 7; r++) for (const c of block3) await waitForCell(b.page, r, c, '')
    const seen = await b.page.evaluate(() => (window as unknown as { __seen: number[] }).__seen)
    expect(seen).toEqual([6, 0])
    await screenshot(b.page, 'grid-range-cleared-on-b.png')
    // One undo step brings the whole block back, on both pages.
    await a.page.keyboard.press('Control+z')
    for (let r = 5; r <= 7; r++)
      for (const c of block3) {
        await waitForCell(a.page, r, c, want[r - 5]![block3.indexOf(c)]!)
        await waitForCell(b.page, r, c, want[r - 5]![block3.indexOf(c)]!)
      }
    const after = await b.page.evaluate(() => (window as unknown as { __seen: number[] }).__seen)
    expect(after).toEqual([6, 0, 6])
  })

  it('Ctrl+D fills the top row of the range down, one undo step', async () => {
    const p = a.page
    const c = cols[2]!
    const top = await cellText(a.page, 10, c)
    const below = [await cellText(a.page, 11, c), await cellText(a.page, 12, c)]
    await p.locator(cellSel(10, c)).click()
    await p.locator(cellSel(12, c)).click({ modifiers: ['Shift'] })
    await p.keyboard.press('Control+d')
    await waitForCell(p, 11, c, top)
    await waitForCell(p, 12, c, top)
    await waitForCell(b.page, 12, c, top)
    await p.keyboard.press('Control+z')
    await waitForCell(p, 11, c, below[0]!)
    await waitForCell(p, 12, c, below[1]!)
  })
})
