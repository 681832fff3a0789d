import { readFileSync } from 'node:fs'
import { encodeGb18030 } from '@taizhang/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChaosClient } from '../../test/chaos/client'
import {
  type Browser,
  cellSel,
  createWorkbook,
  dataColumnIds,
  importCsv,
  type Server,
  screenshot,
  waitForCell,
} from './harness'
import { type OnePage, openOnePage } from './twoPages'

// Two GB18030 files as Chinese Excel saves them (no BOM, CRLF), with a four-byte character (𠀀).
const V1 = [
  '站点名称,期间,服务人次,覆盖率,投入资金（万元）,成立日期,备注',
  '殷行街道社工站,2024-06,"1,197",63.7%,276万元,2021年5月24日,𠀀 四字节',
  '朝歌街道社工站,2024-06,583,100%,10,2022/3/1,',
  '桥盟街道社工站,2024-06,48,—,94,2022-03-15,=SUM(A1)',
  '',
].join('\r\n')
const V2 = [
  '站点名称,期间,服务人次',
  '殷行街道社工站,2024-06,1300',
  '朝歌街道社工站,2024-06,583',
  '灵山街道社工站,2024-06,12',
  '',
].join('\r\n')
const EXPECTED = [
  '站点名称,期间,服务人次,覆盖率,投入资金（万元）,成立日期,备注',
  '殷行街道社工站,2024-06,1300,63.7%,276,2021-05-24,𠀀 四字节',
  '朝歌街道社工站,2024-06,583,100%,10,2022-03-01,',
  // CSV12: the no-data marker — comes back as it was.
  "桥盟街道社工站,2024-06,48,—,94,2022-03-15,'=SUM(A1)",
  '灵山街道社工站,2024-06,12,,,,',
  '',
].join('\r\n')

let t: OnePage
let server: Server
let br: Browser

describe('CSV in the browser (real Chromium, real taizhang serve)', () => {
  beforeAll(async () => {
    t = await openOnePage('csv', { name: '王五', color: '#059669' }, { workbook: 'empty' })
    ;({ server, br } = t)
  })
  afterAll(() => t?.close())

  it('CSV5 CSV6 CSV8 drop a GB18030 file, map, upsert, undo, redo, export and compare the bytes', async () => {
    const page = br.page
    // 1. Pick the first file: a new sheet with inferred columns.
    await page.getByTestId('csv-file-input').setInputFiles({
      name: '站点.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(encodeGb18030(V1)),
    })
    await page.getByTestId('csv-mapping').waitFor()
    // The new blank workbook's untouched sheet is replaced by the imported one (issue #12).
    expect(await page.getByTestId('csv-replaces-blank').textContent()).toContain('工作表1')
    expect(
      await page.getByTestId('csv-encoding').locator('option').first().textContent(),
    ).toContain('GB18030')
    await page.getByTestId('csv-check').click()
    await page.getByTestId('csv-review').waitFor()
    expect(await page.getByTestId('csv-summary').textContent()).toContain('将新增 3 行')
    await page.getByTestId('csv-apply').click()
    await page.getByTestId('csv-close').click()
    const cols = await dataColumnIds(page)
    expect(cols).toHaveLength(7)
    expect(
      (await page.locator('[data-testid="sheet-tabs"] .tab[data-sheet-id]').allTextContents()).map(
        (s) => s.trim(),
      ),
    ).toEqual(['站点'])
    await waitForCell(page, 0, cols[0]!, '殷行街道社工站')
    await waitForCell(page, 0, cols[6]!, '𠀀 四字节')

    // 2. Drop the second file onto the grid and upsert on 站点名称 + 期间.
    const dt = await page.evaluateHandle(
      (bytes) => {
        const d = new DataTransfer()
        d.items.add(new File([new Uint8Array(bytes)], '更新.csv', { type: 'text/csv' }))
        return d
      },
      Array.from(encodeGb18030(V2)),
    )
    const grid = cellSel(0, cols[0]!)
    await page.dispatchEvent(grid, 'dragover', { dataTransfer: dt })
    await page.dispatchEvent(grid, 'drop', { dataTransfer: dt })
    await page.getByTestId('csv-mapping').waitFor()
    await page.getByTestId('csv-mode').selectOption('upsert')
    await page.getByTestId('csv-key-0').check()
    await page.getByTestId('csv-key-1').check()
    await page.getByTestId('csv-check').click()
    await page.getByTestId('csv-review').waitFor()
    expect(await page.getByTestId('csv-summary').textContent()).toBe(
      '将新增 1 行，更新 1 行，未变 1 行，跳过 0 行。',
    )
    expect(await page.getByTestId('csv-preview').textContent()).toContain('1,197 → 1,300')
    await screenshot(page, 'csv-upsert-review.png')
    await page.getByTestId('csv-apply').click()
    await page.getByTestId('csv-close').click()
    await waitForCell(page, 0, cols[2]!, '1,300')
    await waitForCell(page, 3, cols[0]!, '灵山街道社工站')

    // 3. One undo step takes the whole import back; redo brings it again.
    await page.getByTestId('undo').click()
    await waitForCell(page, 0, cols[2]!, '1,197')
    expect(await page.locator(cellSel(3, cols[0]!)).count()).toBe(0)
    await page.locator('button[title="Ctrl+Y"]').click()
    await waitForCell(page, 0, cols[2]!, '1,300')
    await waitForCell(page, 3, cols[0]!, '灵山街道社工站')

    // 4. Export as GB18030 and compare the bytes.
    await page.getByTestId('csv-export').click()
    await page.getByTestId('csv-export-encoding').selectOption('gb18030')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-export-download').click(),
    ])
    const path = await download.path()
    const bytes = new Uint8Array(readFileSync(path))
    expect(new TextDecoder('gb18030').decode(bytes)).toBe(EXPECTED)
    expect(Buffer.from(bytes).equals(Buffer.from(encodeGb18030(EXPECTED)))).toBe(true)
  })

  it('CSV6 a big import is staged: another client never sees part of it; one undo step takes it back', async () => {
    const page = br.page
    const workbookId = await createWorkbook(page, server.origin, server.token, 'empty')
    const observer = new ChaosClient({
      index: 9,
      wsBase: `${server.origin.replace(/^http/, 'ws')}/sync`,
      workbook: workbookId,
      token: server.token,
    })
    try {
      const deadline = Date.now() + 30_000
      while (!observer.connected && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      expect(observer.connected).toBe(true)
      const wb = observer.openWorkbook()
      // What the other client can see after every update it receives.
      const viewOf = () =>
        wb
          .listSheets()
          .map((s) => `${s.name}:${wb.sheet(s.id).rowCount()}`)
          .join(',')
      // A new blank workbook has one untouched sheet, which the import replaces (issue #12).
      const BLANK = '工作表1:0'
      const seen: string[] = [viewOf()]
      expect(seen).toEqual([BLANK])
      let updatesBeforeShown = 0
      observer.doc.on('update', () => {
        const view = viewOf()
        if (view === BLANK) updatesBeforeShown++
        if (seen[seen.length - 1] !== view) seen.push(view)
      })
      const ROWS = 12_000
      const lines = ['站点名称,服务人次,备注']
      for (let i = 0; i < ROWS; i++) lines.push(`站点${i},${i},说明${i % 13}`)
      await importCsv(page, '大表.csv', `${lines.join('\r\n')}\r\n`)
      const cols = await dataColumnIds(page)
      await waitForCell(page, 0, cols[0]!, '站点0')
      const until = async (view: string) => {
        const end = Date.now() + 30_000
        while (seen[seen.length - 1] !== view && Date.now() < end)
          await new Promise((r) => setTimeout(r, 50))
        expect(seen[seen.length - 1]).toBe(view)
      }
      await until(`大表:${ROWS}`)
      // Updates arrived while nothing was shown (the staged sheet, then slices; a one-transaction
      // import would bring none), then every row at once. The server broadcasts the updates of one
      // durable batch as one merged update, so under load several slices can arrive as one.
      expect(updatesBeforeShown).toBeGreaterThanOrEqual(1)
      // Never part of the rows: the blank sheet, (the imported sheet beside it until the blank one
      // is removed right after the publish, when both arrive apart), the imported sheet.
      const full = `大表:${ROWS}`
      const allowed = [BLANK, `${BLANK},${full}`, full]
      expect(seen[0]).toBe(BLANK)
      expect(seen.every((v) => allowed.includes(v))).toBe(true)

      const before = seen.length
      await page.getByTestId('undo').click()
      await until(BLANK)
      await page.locator('button[title="Ctrl+Y"]').click()
      await until(full)
      // One undo step takes the import and the blank sheet's removal back together.
      expect(seen.slice(before)).toEqual([BLANK, full])
    } finally {
      observer.destroy()
    }
  })
})
