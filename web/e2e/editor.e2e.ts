import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Browser,
  cellSel,
  dataColumnIds,
  type Server,
  screenshot,
  waitForCell,
} from './harness'
import { openOnePage, openTwoPages, type TwoPages, waitBadge } from './twoPages'

let t: TwoPages
let server: Server
let a: Browser
let b: Browser
let cols: string[]
let workbookId: string

/** A's open editor: its text, whether it has focus, and the caret. */
function editorState(br: Browser) {
  return br.page.evaluate(() => {
    const el = document.querySelector<HTMLInputElement>('.tz-editor')
    if (!el) return null
    const row = el.closest('.ag-row')?.getAttribute('row-index') ?? null
    return {
      value: el.value,
      focused: document.activeElement === el,
      caret: [el.selectionStart, el.selectionEnd],
      row,
      active: document.activeElement?.className ?? null,
    }
  })
}

describe('remote changes never disturb an open editor (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openTwoPages('ed', {
      a: { name: '张三', color: '#2563eb' },
      b: { name: '李四', color: '#d97706' },
    })
    ;({ server, a, b, workbookId } = t)
    cols = await dataColumnIds(a.page)
    await b.page.locator(cellSel(0, cols[0]!)).waitFor({ timeout: 15_000 })
    await waitBadge(b, 'synced', 15_000)
  })

  afterAll(() => t?.close())

  it('the title survives other clients opening the workbook from the server', async () => {
    const titleA = await a.page.getByTestId('wb-title').inputValue()
    expect(titleA).not.toBe('')
    // Before the fix an empty local doc was stamped (title '') before the server's state arrived,
    // and that write beat the creator's title for about half of all client ids. Open it five
    // more times on B, each time with no local copy (a new Yjs client id).
    const url = b.page.url()
    for (let i = 0; i < 5; i++) {
      await b.page.goto(`${server.origin}/#/`)
      await b.page.evaluate(
        (id) =>
          new Promise<void>((resolve, reject) => {
            const req = indexedDB.deleteDatabase(`taizhang-doc-${id}`)
            req.onsuccess = () => resolve()
            req.onerror = () => reject(req.error)
          }),
        workbookId,
      )
      await b.page.goto(url)
      await b.page.locator(cellSel(0, cols[0]!)).waitFor({ timeout: 15_000 })
      await waitBadge(b, 'synced', 15_000)
      expect(await b.page.getByTestId('wb-title').inputValue()).toBe(titleA)
    }
    await a.page.waitForTimeout(300)
    expect(await a.page.getByTestId('wb-title').inputValue()).toBe(titleA)
    const box = await a.page.getByTestId('wb-title').boundingBox()
    expect(box?.width ?? 0).toBeGreaterThan(100)
  })

  it('A keeps editor, text, focus and caret while B edits the same row, other rows and inserts a row above', async () => {
    const row = 5
    const col = cols[1]!
    // A starts typing into (5, col 1) and moves the caret: nothing committed yet.
    await a.page.locator(cellSel(row, col)).click()
    await a.page.keyboard.press('Enter')
    await a.page.locator('.tz-editor').waitFor()
    await a.page.keyboard.press('Control+a')
    await a.page.keyboard.type('正在输入中')
    await a.page.keyboard.press('ArrowLeft')
    await a.page.keyboard.press('ArrowLeft')
    const before = await editorState(a)
    expect(before).toMatchObject({
      value: '正在输入中',
      focused: true,
      caret: [3, 3],
      row: String(row),
    })

    // B: same row, other cells; other rows; then a row inserted above A's row.
    const typeB = async (r: number, c: string, text: string) => {
      await b.page.locator(cellSel(r, c)).click()
      await b.page.keyboard.press('Enter')
      const ed = b.page.locator('.tz-editor')
      await ed.waitFor()
      await ed.fill(text)
      await b.page.keyboard.press('Enter')
      await ed.waitFor({ state: 'detached' })
    }
    await typeB(row, cols[2]!, 'B同行1')
    await typeB(row, cols[3]!, 'B同行2')
    await typeB(row + 1, col, 'B下一行')
    await typeB(1, col, 'B第二行')
    await waitForCell(a.page, row, cols[2]!, 'B同行1')
    await waitForCell(a.page, row, cols[3]!, 'B同行2')
    await waitForCell(a.page, row + 1, col, 'B下一行')
    await waitForCell(a.page, 1, col, 'B第二行')
    expect(await editorState(a)).toEqual(before)

    // Insert a row above row 2 on B (Ctrl+=): A's row moves down one.
    const rowsBefore = await a.page.getByTestId('row-count').textContent()
    await b.page.locator(cellSel(2, cols[0]!)).click()
    await b.page.keyboard.press('Control+=')
    await a.page.waitForFunction(
      (prev) => document.querySelector('[data-testid="row-count"]')?.textContent !== prev,
      rowsBefore,
      { timeout: 5000 },
    )
    // Let the coalesced remote flush and row-number refresh run.
    await a.page.waitForTimeout(300)
    const after = await editorState(a)
    expect(after).toEqual({ ...before, row: String(row + 1) })
    await screenshot(a.page, 'editor-kept-during-remote-edits.png')

    // Typing continues at the caret, and Enter commits to the right row.
    await a.page.keyboard.type('的')
    await a.page.keyboard.press('Enter')
    await a.page.locator('.tz-editor').waitFor({ state: 'detached' })
    await waitForCell(a.page, row + 1, col, '正在输的入中')
    await waitForCell(b.page, row + 1, col, '正在输的入中')
    // B's edits in that row are intact on both sides.
    await waitForCell(a.page, row + 1, cols[2]!, 'B同行1')
    await waitForCell(b.page, row + 1, cols[3]!, 'B同行2')
    await waitForCell(b.page, row + 2, col, 'B下一行')
  })
})

describe('toolbar layout', () => {
  it('the title stays visible at 1280×800 and at a narrow width', async () => {
    const one = await openOnePage(
      'layout',
      { name: '王五', color: '#059669' },
      { workbook: 'demo' },
    )
    const { br } = one
    try {
      await br.page.locator(cellSel(0, (await dataColumnIds(br.page))[0]!)).waitFor()
      for (const [w, h] of [
        [1280, 800],
        [1024, 768],
        [720, 800],
        [400, 800],
      ] as const) {
        await br.page.setViewportSize({ width: w, height: h })
        await br.page.waitForTimeout(100)
        const title = br.page.getByTestId('wb-title')
        const box = await title.boundingBox()
        expect(box?.width ?? 0, `title width at ${w}px`).toBeGreaterThanOrEqual(
          Math.min(160, w - 40),
        )
        expect(
          (box?.x ?? -1) + (box?.width ?? 0),
          `title inside the window at ${w}px`,
        ).toBeLessThanOrEqual(w)
        expect(await title.inputValue()).not.toBe('')
        // Nothing in the toolbar overlaps the title.
        const overlaps = await br.page.evaluate(() => {
          const t = document.querySelector('[data-testid="wb-title"]')!.getBoundingClientRect()
          const hit: string[] = []
          for (const el of document.querySelectorAll('.toolbar > *')) {
            if (el.getAttribute('data-testid') === 'wb-title') continue
            const r = el.getBoundingClientRect()
            if (!r.width || !r.height) continue
            if (r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top)
              hit.push(el.className || el.tagName)
          }
          return hit
        })
        expect(overlaps, `overlaps at ${w}px`).toEqual([])
        await screenshot(br.page, `toolbar-${w}x${h}.png`)
      }
    } finally {
      await one.close()
    }
  })
})
