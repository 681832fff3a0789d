import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Workbook } from '@taizhang/shared'
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import * as Y from 'yjs'
import { DB_DIR, LOCK_FILE } from '../dataDir.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { runExport } from './export.js'
import { runImport } from './import.js'

const fixtures = join(import.meta.dirname, '../../../test/fixtures/csv')

let stdout: string[]
let stderr: string[]
beforeEach(() => {
  stdout = []
  stderr = []
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout.push(String(s))
    return true
  })
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr.push(String(s))
    return true
  })
})
afterEach(() => vi.restoreAllMocks())

/** `taizhang import --workbook <workbook> --sheet <sheet> --file <file> ...extra` on `store`. */
function importFile(
  store: ReturnType<typeof createMemoryDocStore> | undefined,
  workbook: string,
  sheet: string,
  file: string,
  ...extra: string[]
): Promise<number> {
  return runImport(['--workbook', workbook, '--sheet', sheet, '--file', file, ...extra], store)
}

async function loadWorkbook(store: ReturnType<typeof createMemoryDocStore>, id: string) {
  const doc = new Y.Doc()
  for (const u of await store.load(id)) Y.applyUpdate(doc, u)
  return Workbook.open(doc).workbook
}

describe('CLI taizhang import/export (CSV7, CSV8)', () => {
  it('CSV7 imports a GBK file into a new workbook and sheet, with types inferred as the UI does', async () => {
    const store = createMemoryDocStore()
    const code = await importFile(store, 'wb1', '站点', join(fixtures, 'gbk-excel.csv'))
    expect(stderr.join('')).toBe('')
    expect(code).toBe(0)
    const text = stdout.join('')
    expect(text).toContain('GB18030')
    expect(text).toContain('服务人次 → 新列 服务人次 (integer)')
    expect(text).toContain('投入资金（万元） → 新列 投入资金（万元） (money, 万元)')
    expect(text).toContain('新增 3 行')
    const wb = await loadWorkbook(store, 'wb1')
    const s = wb.sheetByName('站点')!
    expect(s.rowCount()).toBe(3)
    const served = s.columns().find((c) => c.name === '服务人次')!.id
    expect(s.readRows().map((r) => r.cells[served] ?? null)).toEqual([1197, 583, '—']) // CSV12: the no-data marker is kept
  })

  it('CSV5 upsert on a composite key through the CLI, then export GB18030 and re-read it', async () => {
    const store = createMemoryDocStore()
    const dir = mkdtempSync(join(tmpdir(), 'tz-cli-'))
    await importFile(store, 'wb2', '站点', join(fixtures, 'utf8-bom.csv'))
    const update = join(dir, 'update.csv')
    writeFileSync(
      update,
      '站点名称,期间,服务人次\r\n殷行街道社工站,2024-06,1200\r\n新站,2024-06,5\r\n',
    )
    stdout = []
    const code = await importFile(
      store,
      'wb2',
      '站点',
      update,
      '--mode',
      'upsert',
      '--key',
      '站点名称,期间',
      '--lang',
      'en',
    )
    expect(code).toBe(0)
    expect(stdout.join('')).toContain('Done: added 1, updated 1, unchanged 0, skipped 0.')
    const out = join(dir, 'out.csv')
    expect(
      await runExport(
        ['--workbook', 'wb2', '--sheet', '站点', '--out', out, '--encoding', 'gb18030'],
        store,
      ),
    ).toBe(0)
    const text = new TextDecoder('gb18030').decode(readFileSync(out))
    expect(text.split('\r\n')[1]).toBe('殷行街道社工站,杨浦区,2024-06,1200,63.7%,276,2021-05-24')
    expect(text.split('\r\n')).toHaveLength(6)
  })

  it('CSV7 refusals exit 1 with the reason in zh-CN (English with --lang en) and write nothing', async () => {
    const store = createMemoryDocStore()
    expect(await importFile(store, 'w', 's', join(fixtures, 'png-renamed.csv'))).toBe(1)
    expect(stderr.join('')).toContain('这不是 CSV 文件，而是PNG 图片')
    stderr = []
    expect(
      await importFile(store, 'w', 's', join(fixtures, 'header-only.csv'), '--lang', 'en'),
    ).toBe(1)
    expect(stderr.join('')).toContain('has a header')
    stderr = []
    expect(await importFile(store, 'w', 's', join(fixtures, 'empty.csv'))).toBe(1)
    expect(stderr.join('')).toContain('文件是空的')
    expect(await store.load('w')).toEqual([])
  })

  it('CSV5 misfits refuse unless --on-misfit chooses text or skip', async () => {
    const store = createMemoryDocStore()
    const dir = mkdtempSync(join(tmpdir(), 'tz-cli-'))
    const f = join(dir, 'a.csv')
    writeFileSync(
      f,
      '名称,人次\r\n甲,1\r\n乙,2\r\n丙,3\r\n丁,4\r\n戊,5\r\n己,6\r\n庚,7\r\n辛,8\r\n壬,9\r\n癸,10\r\n子,11\r\n丑,12\r\n寅,13\r\n卯,14\r\n辰,15\r\n巳,16\r\n午,17\r\n未,18\r\n申,19\r\n酉,20\r\n戌,很多\r\n',
    )
    // Create the sheet with an integer column first.
    writeFileSync(join(dir, 'b.csv'), '名称,人次\r\n甲,1\r\n')
    expect(await importFile(store, 'w', 's', join(dir, 'b.csv'))).toBe(0)
    const before = (await store.load('w')).length
    expect(await importFile(store, 'w', 's', f)).toBe(1)
    expect(stdout.join('')).toContain('第 22 行“很多”')
    expect((await store.load('w')).length).toBe(before)
    expect(await importFile(store, 'w', 's', f, '--on-misfit', 'skip')).toBe(0)
    expect(stdout.join('')).toContain('新增 20 行')
  })

  it('CSV7 refuses while a server holds the data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-cli-'))
    // Another process holds the store open (its OS lock, as a running server does).
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { ClassicLevel } from 'classic-level'; await new ClassicLevel(${JSON.stringify(join(dir, DB_DIR))}).open(); console.log('ready'); setTimeout(() => {}, 60000)`,
      ],
      { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise((r) => holder.stdout!.once('data', r))
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: holder.pid, host: '127.0.0.1', port: 8787, startedAt: '' }),
    )
    onTestFinished(() => {
      holder.kill('SIGKILL')
    })
    expect(
      await importFile(undefined, 'w', 's', join(fixtures, 'utf8-bom.csv'), '--data', dir),
    ).toBe(1)
    expect(stderr.join('')).toContain('正被运行中的服务器使用')
    expect(
      await runExport([
        '--data',
        dir,
        '--workbook',
        'w',
        '--sheet',
        's',
        '--out',
        join(dir, 'o.csv'),
        '--lang',
        'en',
      ]),
    ).toBe(1)
    expect(stderr.join('')).toContain('in use by a running server')
  })
})

const xlsxFixtures = join(import.meta.dirname, '../../../test/fixtures/xlsx')

describe('CLI taizhang import/export .xlsx (issue #15)', () => {
  it('XLSX1 imports the first worksheet of a bureau template into a sheet of its name, typed', async () => {
    const store = createMemoryDocStore()
    const code = await runImport(
      ['--workbook', 'wbx', '--file', join(xlsxFixtures, 'bureau-template.xlsx')],
      store,
    )
    const text = stdout.join('')
    expect(stderr.join('')).toBe('')
    expect(code).toBe(0)
    expect(text).toContain('工作表：2024年服务台账（工作簿共 2 个：2024年服务台账、志愿者）')
    expect(text).toContain('标题行（第 1 行）已跳过：XX区社工站服务台账（2024年）')
    expect(text).toContain('第 8 行“合计”是合计行，未导入')
    expect(text).toContain('1 个公式单元格按 Excel 最后计算的值导入')
    expect(text).toContain('隐藏列已导入：2024年 · 2月')
    expect(text).toContain('2024年 · 1月 → 新列 2024年 · 1月 (integer)')
    expect(text).toContain('覆盖率 → 新列 覆盖率 (percent)')
    expect(text).toContain('投入资金 → 新列 投入资金 (money, 万元)')
    expect(text).toContain('建站日期 → 新列 建站日期 (date)')
    const wb = await loadWorkbook(store, 'wbx')
    const s = wb.sheetByName('2024年服务台账')!
    const cols = s.columns()
    expect(s.readRows().map((r) => cols.map((c) => r.cells[c.id] ?? null))[0]).toEqual([
      '殷行街道社工站',
      '殷行街道',
      120,
      98,
      143,
      0.637,
      276,
      '2021-05-24',
    ])
    expect(s.rowCount()).toBe(4)
  })

  it('XLSX1 --worksheet, --sheet and --include-totals; the 1904 date system', async () => {
    const store = createMemoryDocStore()
    expect(
      await runImport(
        [
          '--workbook',
          'wbx',
          '--sheet',
          '志愿',
          '--worksheet',
          '志愿者',
          '--file',
          join(xlsxFixtures, 'bureau-template.xlsx'),
        ],
        store,
      ),
    ).toBe(0)
    expect(
      await runImport(
        [
          '--workbook',
          'wbx',
          '--sheet',
          '含合计',
          '--include-totals',
          '--file',
          join(xlsxFixtures, 'bureau-template.xlsx'),
        ],
        store,
      ),
    ).toBe(0)
    expect(
      await runImport(
        ['--workbook', 'wbx', '--file', join(xlsxFixtures, 'dates-1904.xlsx')],
        store,
      ),
    ).toBe(0)
    const wb = await loadWorkbook(store, 'wbx')
    const vol = wb.sheetByName('志愿')!
    expect(vol.readRows().map((r) => vol.columns().map((c) => r.cells[c.id] ?? null))).toEqual([
      ['张三', 12.5, true],
      ['李四', '—', false],
    ])
    expect(wb.sheetByName('含合计')!.rowCount()).toBe(5)
    const d = wb.sheetByName('日期')!
    const dc = d.columns()[1]!.id
    expect(d.readRows().map((r) => r.cells[dc])).toEqual(['1904-01-01', '2024-05-24'])
  })

  it('XLSX3 a refused workbook writes nothing and says why in zh and en', async () => {
    const store = createMemoryDocStore()
    const dir = mkdtempSync(join(tmpdir(), 'tz-xlsx-'))
    const file = join(dir, 'old.xls')
    // An OLE compound file that is not an encrypted package: a legacy .xls/.et.
    const ole = new Uint8Array(1024)
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
    writeFileSync(file, ole)
    expect(await runImport(['--workbook', 'wbx', '--sheet', 's', '--file', file], store)).toBe(1)
    expect(stderr.join('')).toContain('另存为')
    expect(
      await runImport(['--workbook', 'wbx', '--sheet', 's', '--file', file, '--lang', 'en'], store),
    ).toBe(1)
    expect(stderr.join('')).toContain('Save As')
    expect(await store.load('wbx')).toEqual([])
  })

  it('XLSX4 export --out book.xlsx writes every sheet; importing it back gives the same cells', async () => {
    const store = createMemoryDocStore()
    expect(
      await runImport(
        ['--workbook', 'src', '--file', join(xlsxFixtures, 'bureau-template.xlsx')],
        store,
      ),
    ).toBe(0)
    const dir = mkdtempSync(join(tmpdir(), 'tz-xlsx-'))
    const out = join(dir, 'book.xlsx')
    expect(await runExport(['--workbook', 'src', '--out', out, '--title-row'], store)).toBe(0)
    expect(stdout.join('')).toContain('已导出 Excel 工作簿')
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK')
    expect(
      await runImport(['--workbook', 'dst', '--sheet', '2024年服务台账', '--file', out], store),
    ).toBe(0)
    const a = (await loadWorkbook(store, 'src')).sheetByName('2024年服务台账')!
    const b = (await loadWorkbook(store, 'dst')).sheetByName('2024年服务台账')!
    const cells = (s: typeof a) =>
      s.readRows().map((r) => s.columns().map((c) => r.cells[c.id] ?? null))
    expect(b.columns().map((c) => [c.name, c.type, c.format.unit ?? ''])).toEqual(
      a.columns().map((c) => [c.name, c.type, c.format.unit ?? '']),
    )
    expect(cells(b)).toEqual(cells(a))
  })
})
