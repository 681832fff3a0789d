import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, cellSel, dataColumnIds, type Server, screenshot } from './harness'
import { type OnePage, openOnePage, withViewer } from './twoPages'

let t: OnePage
let server: Server
let a: Browser
let workbookId: string

const count = (page: Page) => page.getByTestId('find-count').textContent()

/** "3 / 17" → [3, 17]. */
async function position(page: Page): Promise<[number, number]> {
  const m = /^(\d+) \/ (\d+)$/.exec((await count(page)) ?? '')
  expect(m, `count text: ${await count(page)}`).not.toBeNull()
  return [Number(m![1]), Number(m![2])]
}

/** The rendered cells of the grid: whether each shows the query and whether it is marked. */
function renderedMarks(page: Page, query: string) {
  return page.evaluate((q) => {
    const out: { text: string; shows: boolean; marked: boolean }[] = []
    for (const el of document.querySelectorAll<HTMLElement>('.ag-row[row-id] .ag-cell[col-id]')) {
      if (el.getAttribute('col-id') === '__rownum') continue
      const text = el.textContent ?? ''
      out.push({
        text,
        shows: text.toLowerCase().includes(q.toLowerCase()),
        marked: el.classList.contains('tz-find-match'),
      })
    }
    return out
  }, query)
}

/** The focused cell's row index and column id. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.ag-cell.ag-cell-focus')
    if (!el) return null
    return {
      row: el.closest('.ag-row')?.getAttribute('row-index') ?? '',
      col: el.getAttribute('col-id') ?? '',
      text: el.textContent ?? '',
    }
  })
}

describe('find and replace (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openOnePage('find-a', { name: '王敏', color: '#2563eb' }, { workbook: 'demo' })
    ;({ server, br: a, workbookId } = t)
    const first = (await dataColumnIds(a.page))[0]!
    await a.page.locator(cellSel(0, first)).waitFor()
  })
  afterAll(() => t?.close())

  it('Ctrl+F finds "杨浦" in the shown text, marks the cells, Enter / Shift+Enter move the focus', async () => {
    const { page } = a
    const first = (await dataColumnIds(page))[0]!
    await page.locator(cellSel(0, first)).click()
    await page.keyboard.press('Control+f')
    const input = page.getByTestId('find-input')
    await input.waitFor()
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true)
    await input.fill('杨浦')
    await expect.poll(() => count(page)).toMatch(/^1 \/ \d+$/)
    const [, total] = await position(page)
    // 1 区级指导中心 + 12 杨浦区 stations, each with 区县 = 杨浦区 and 运营机构 "杨浦区…".
    expect(total).toBeGreaterThanOrEqual(26)

    // Every rendered cell that shows the text is marked, and only those.
    await expect
      .poll(async () => (await renderedMarks(page, '杨浦')).filter((c) => c.marked).length)
      .toBeGreaterThan(0)
    await expect
      .poll(async () => (await renderedMarks(page, '杨浦')).filter((c) => c.shows !== c.marked))
      .toEqual([])

    await screenshot(page, 'find-bar.png')

    // The first match has the focus; Enter moves to the second, Shift+Enter back.
    await expect.poll(async () => (await focused(page))?.text ?? '').toContain('杨浦')
    const at1 = await focused(page)
    await input.press('Enter')
    await expect.poll(() => count(page)).toBe(`2 / ${total}`)
    await expect.poll(async () => JSON.stringify(await focused(page))).not.toBe(JSON.stringify(at1))
    expect((await focused(page))!.text).toContain('杨浦')
    await input.press('Shift+Enter')
    await expect.poll(() => count(page)).toBe(`1 / ${total}`)
    await expect.poll(async () => JSON.stringify(await focused(page))).toBe(JSON.stringify(at1))
    // Shift+Enter from the first wraps to the last.
    await input.press('Shift+Enter')
    await expect.poll(() => count(page)).toBe(`${total} / ${total}`)

    // Nothing matches: no count, no marks.
    await input.fill('无此文字xyz')
    await expect.poll(() => count(page)).toBe('无结果')
    // The marks are repainted on the next frame.
    await expect
      .poll(async () => (await renderedMarks(page, '杨浦')).filter((c) => c.marked).length)
      .toBe(0)

    // Esc closes the bar and the marks go.
    await input.fill('杨浦')
    await expect.poll(() => count(page)).toBe(`1 / ${total}`)
    await input.press('Escape')
    await page.getByTestId('find-bar').waitFor({ state: 'detached' })
    await expect
      .poll(async () => (await renderedMarks(page, '杨浦')).filter((c) => c.marked).length)
      .toBe(0)
  })

  it('all sheets: more matches, and Enter switches to the sheet of the match', async () => {
    const { page } = a
    const tabs = page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]')
    const firstTab = await tabs.first().getAttribute('data-sheet-id')
    await page.locator(cellSel(0, (await dataColumnIds(page))[0]!)).click()
    await page.keyboard.press('Control+f')
    const input = page.getByTestId('find-input')
    await input.fill('杨浦')
    await expect.poll(() => count(page)).toMatch(/^1 \/ \d+$/)
    const [, inSheet] = await position(page)
    await page.getByTestId('find-all-sheets').check()
    await expect.poll(async () => (await position(page))[1]).toBeGreaterThan(inSheet)
    const [, all] = await position(page)
    // Walk back from the first match: the last one is in another sheet (指标 names the stations).
    await input.press('Shift+Enter')
    await expect.poll(() => count(page)).toBe(`${all} / ${all}`)
    await expect
      .poll(() =>
        page.locator('[data-testid="sheet-tabs"] .tab.active').getAttribute('data-sheet-id'),
      )
      .not.toBe(firstTab)
    await expect.poll(async () => (await focused(page))?.text ?? '').toContain('杨浦')
    await input.press('Enter')
    await expect
      .poll(() =>
        page.locator('[data-testid="sheet-tabs"] .tab.active').getAttribute('data-sheet-id'),
      )
      .toBe(firstTab)
    await page.getByTestId('find-all-sheets').uncheck()
    await input.press('Escape')
    await page.getByTestId('find-bar').waitFor({ state: 'detached' })
  })

  it('Ctrl+H replaces one match, then all, and one Ctrl+Z undoes the replace-all', async () => {
    const { page } = a
    const cols = await dataColumnIds(page)
    await page.locator(cellSel(0, cols[0]!)).click()
    await page.keyboard.press('Control+h')
    const input = page.getByTestId('find-input')
    await input.fill('杨浦')
    await expect.poll(() => count(page)).toMatch(/^1 \/ \d+$/)
    const [, total] = await position(page)
    await page.getByTestId('replace-input').fill('长宁')
    await screenshot(page, 'find-replace-bar.png')
    await page.getByTestId('replace-one').click()
    await expect.poll(async () => (await position(page))[1]).toBe(total - 1)

    await page.getByTestId('replace-all').click()
    await expect.poll(() => count(page)).toBe('无结果')
    const shown = async () => (await renderedMarks(page, '杨浦')).map((c) => c.text).join('|')
    await expect.poll(shown).not.toContain('杨浦')
    expect(await shown()).toContain('长宁区')

    await input.press('Escape')
    await page.getByTestId('find-bar').waitFor({ state: 'detached' })
    // One undo step takes back the whole replace-all (the single replace stays).
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Control+f')
    await page.getByTestId('find-input').fill('杨浦')
    await expect.poll(async () => (await position(page).catch(() => [0, 0]))[1]).toBe(total - 1)

    // All sheets: replace-all rewrites the text cells of every sheet in one undo step.
    await page.getByTestId('find-all-sheets').check()
    await expect.poll(async () => (await position(page))[1]).toBeGreaterThan(total - 1)
    const [, all] = await position(page)
    await page.getByTestId('find-input').press('Escape')
    await page.keyboard.press('Control+h')
    await page.getByTestId('replace-input').fill('长宁')
    await page.getByTestId('replace-all').click()
    const left = async () => {
      const c = await count(page)
      return c === '无结果' ? 0 : (await position(page))[1]
    }
    await expect.poll(left).toBeLessThan(all)
    await page.getByTestId('find-input').press('Escape')
    await page.getByTestId('find-bar').waitFor({ state: 'detached' })
    // The keyboard must be on the grid for its Ctrl+Z (under CI load the focus came back late).
    await page.locator('.ag-row .ag-cell').first().click()
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Control+f')
    await expect.poll(left, { timeout: 15_000 }).toBe(all)
    await page.getByTestId('find-all-sheets').uncheck()
    await page.getByTestId('find-input').press('Escape')
  })

  it('a viewer finds but gets no replace row', async () => {
    await withViewer({ server, workbookId }, 'find-viewer', async (v) => {
      await v.page.getByTestId('workbook').waitFor()
      const first = (await dataColumnIds(v.page))[0]!
      await v.page.locator(cellSel(0, first)).waitFor({ timeout: 15_000 })
      await expect(v.page.getByTestId('readonly-notice').textContent()).resolves.toBe('只读')
      await v.page.locator(cellSel(0, first)).click()
      // Replace is disabled for a viewer: Ctrl+H does not open the replace row; Ctrl+F finds.
      await v.page.keyboard.press('Control+h')
      await v.page.keyboard.press('Control+f')
      await v.page.getByTestId('find-input').fill('杨浦')
      await expect.poll(() => count(v.page)).toMatch(/^1 \/ \d+$/)
      expect(await v.page.getByTestId('replace-input').count()).toBe(0)
      expect(await v.page.getByTestId('replace-all').count()).toBe(0)
    })
  })
})
