/**
 * The .xlsx export read by a real third-party consumer (issue #15 §2): LibreOffice Calc headless
 * (Debian's package, installed by test/fixtures/xlsx/ensure-libreoffice.sh, 48 s measured) converts
 * `taizhang export --out book.xlsx` to CSV "as shown", so every value AND its number format are
 * compared; it also re-saves the file as .xlsx, which our reader must import back unchanged.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Workbook } from '@taizhang/shared'
import { openXlsx, readWorksheet } from '@taizhang/shared/xlsx'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { runExport } from './export.js'

const ENSURE = join(import.meta.dirname, '../../../test/fixtures/xlsx/ensure-libreoffice.sh')
let soffice = ''
let dir = ''

/** Converts `file` with LibreOffice; `filter` is a --convert-to argument. */
function convert(file: string, filter: string, outDir: string): string[] {
  const profile = join(dir, 'lo-profile')
  const r = spawnSync(
    soffice,
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${profile}`,
      '--convert-to',
      filter,
      '--outdir',
      outDir,
      file,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  )
  if (r.status !== 0) throw new Error(`soffice failed: ${r.stderr}`)
  return readdirSync(outDir).sort()
}

beforeAll(() => {
  soffice = execFileSync('sh', [ENSURE], { encoding: 'utf8', timeout: 600_000 }).trim()
  dir = mkdtempSync(join(tmpdir(), 'tz-lo-'))
}, 600_000)
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function storeWithWorkbook() {
  const doc = new Y.Doc()
  const wb = Workbook.create(doc, { title: '杨浦区社工站台账' })
  const id = wb.addSheet('月报')
  const s = wb.sheet(id)
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const served = s.addColumn({ name: '服务人次', type: 'integer' })
  const cover = s.addColumn({ name: '覆盖率', type: 'percent' })
  const funds = s.addColumn({ name: '投入资金', type: 'money', format: { unit: '万元' } })
  const yuan = s.addColumn({ name: '补贴', type: 'money', format: { unit: '元' } })
  const ratio = s.addColumn({ name: '比值', type: 'number', format: { decimals: 1 } })
  const built = s.addColumn({ name: '建站日期', type: 'date' })
  const model = s.addColumn({ name: '示范站', type: 'boolean' })
  const period = s.addColumn({ name: '期间', type: 'period' })
  s.insertRows([
    {
      [name]: '殷行街道社工站',
      [served]: 1197,
      [cover]: 0.637,
      [funds]: 276,
      [yuan]: 2760000,
      [ratio]: 2.25,
      [built]: '2021-05-24',
      [model]: true,
      [period]: '2024-06',
    },
    { [name]: '=SUM(A1:A9)', [served]: '—', [cover]: '/', [funds]: 1.5, [model]: false },
  ])
  const vol = wb.sheet(wb.addSheet('志愿者'))
  const v1 = vol.addColumn({ name: '姓名', type: 'text' })
  const v2 = vol.addColumn({ name: '服务时长', type: 'number' })
  vol.insertRows([{ [v1]: '张三', [v2]: 12.5 }])
  const store = createMemoryDocStore()
  await store.append('lo', Y.encodeStateAsUpdate(doc))
  return store
}

describe('XLSX4 LibreOffice reads our .xlsx', () => {
  it('XLSX4 every value and number format as LibreOffice shows them; its re-save imports back', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const store = await storeWithWorkbook()
    const book = join(dir, 'book.xlsx')
    expect(await runExport(['--workbook', 'lo', '--out', book, '--title-row'], store)).toBe(0)
    vi.restoreAllMocks()

    // CSV "as shown" (token 9 = true), every sheet (token 12 = -1), UTF-8.
    const csvDir = join(dir, 'csv')
    const files = convert(
      book,
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
      csvDir,
    )
    expect(files).toEqual(['book-志愿者.csv', 'book-月报.csv'])
    const lines = (f: string) => readFileSync(join(csvDir, f), 'utf8').trimEnd().split('\n')
    expect(lines('book-月报.csv')).toEqual([
      '杨浦区社工站台账 · 月报,,,,,,,,',
      '站点名称,服务人次,覆盖率,投入资金,补贴,比值,建站日期,示范站,期间',
      '殷行街道社工站,"1,197",63.7%,276.00万元,"2,760,000.00元",2.3,2021-05-24,TRUE,2024-06',
      // Formula-like text stays text; the no-data markers come back as they were.
      '=SUM(A1:A9),—,/,1.50万元,,,,FALSE,',
    ])
    expect(lines('book-志愿者.csv')).toEqual([
      '杨浦区社工站台账 · 志愿者,',
      '姓名,服务时长',
      '张三,12.5',
    ])

    // LibreOffice's own .xlsx of our file (a third-party writer) reads back to the same cells.
    const xlsxDir = join(dir, 'resaved')
    convert(book, 'xlsx:Calc MS Excel 2007 XML', xlsxDir)
    const opened = await openXlsx(new Uint8Array(readFileSync(join(xlsxDir, 'book.xlsx'))))
    if (!opened.ok) throw new Error(JSON.stringify(opened.refusal))
    const read = readWorksheet(opened.book, '月报')
    if (!read.ok) throw new Error(JSON.stringify(read.refusal))
    expect(read.notes.title).toBe('杨浦区社工站台账 · 月报')
    expect(read.table.rows).toEqual([
      [
        '殷行街道社工站',
        '1197',
        '63.7%',
        '276万元',
        '2760000',
        '2.25',
        '2021-05-24',
        '是',
        '2024-06',
      ],
      ['=SUM(A1:A9)', '—', '/', '1.5万元', '', '', '', '否', ''],
    ])
  }, 300_000)
})
