// Library comparison for docs/XLSX.md: write and read 100,000 × 12 ledger rows with each candidate,
// one library and one operation per child process (so peak RSS is that operation's own).
// Usage: node bench/xlsx/compare.mjs [--rows 100000] [--runs 3]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(new URL('../../web/package.json', import.meta.url))
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`)
  return i === -1 ? d : Number(process.argv[i + 1])
}
const ROWS = arg('rows', 100_000)
const RUNS = arg('runs', 3)

const DISTRICTS = [
  '朝歌街道',
  '桥盟街道',
  '灵山街道',
  '北阳镇',
  '高村镇',
  '庙口镇',
  '西岗镇',
  '黄洞乡',
]
function cell(r, c) {
  switch (c) {
    case 0:
      return `社工站${r}`
    case 1:
      return DISTRICTS[r % DISTRICTS.length]
    case 2:
      return new Date(Date.UTC(2024, r % 12, 1 + (r % 28)))
    case 3:
      return (r * 7) % 1000
    case 4:
      return (r * 13) % 5000
    case 5:
      return ((r * 37) % 1000) / 1000
    case 6:
      return ((r * 11) % 30000) / 100
    case 7:
      return r % 2 === 0
    case 8:
      return `备注 ${r % 97}`
    case 9:
      return (r * 3) % 50
    case 10:
      return `运营机构${r % 40}`
    default:
      return r
  }
}
const HEADER = [
  '站点名称',
  '街道',
  '日期',
  '服务活动',
  '服务人次',
  '覆盖率',
  '投入资金',
  '示范站',
  '备注',
  '督导',
  '运营机构',
  '序号',
]

async function child(lib, op, file) {
  let peak = 0
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 5)
  const t0 = performance.now()
  if (lib === 'sheetjs') {
    const XLSX = await import(join(require.resolve('@e965/xlsx'), '..', 'xlsx.mjs'))
    if (op === 'write') {
      const aoa = [HEADER]
      for (let r = 0; r < ROWS; r++) {
        const row = []
        for (let c = 0; c < 12; c++) row.push(cell(r, c))
        aoa.push(row)
      }
      const ws = XLSX.utils.aoa_to_sheet(aoa, { cellDates: true })
      const wb = XLSX.utils.book_new()
      XLSX.utils.book_append_sheet(wb, ws, '台账')
      writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }))
    } else {
      const wb = XLSX.read(readFileSync(file), {
        type: 'buffer',
        cellDates: false,
        cellNF: true,
        dense: true,
      })
      const ws = wb.Sheets[wb.SheetNames[0]]
      let n = 0
      for (const row of ws['!data']) if (row) n += row.length
      if (n < ROWS * 12) throw new Error(`read ${n} cells`)
    }
  } else {
    const ExcelJS = (await import(require.resolve('exceljs'))).default
    if (op === 'write') {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('台账')
      ws.addRow(HEADER)
      for (let r = 0; r < ROWS; r++) {
        const row = []
        for (let c = 0; c < 12; c++) row.push(cell(r, c))
        ws.addRow(row)
      }
      await wb.xlsx.writeFile(file)
    } else {
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(readFileSync(file))
      let n = 0
      wb.worksheets[0].eachRow((row) => {
        n += row.cellCount
      })
      if (n < ROWS * 12) throw new Error(`read ${n} cells`)
    }
  }
  const ms = performance.now() - t0
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  process.stdout.write(JSON.stringify({ ms, peakRss: peak }))
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5])
} else {
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-compare-'))
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.floor(s.length / 2)]
  }
  const results = {}
  const fileBytes = {}
  const record = (key, r) => {
    results[key] = results[key] ?? []
    results[key].push(r)
  }
  const run = (lib, op, file) => {
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=4096',
        new URL(import.meta.url).pathname,
        '--child',
        lib,
        op,
        file,
        '--rows',
        String(ROWS),
      ],
      { encoding: 'utf8' },
    )
    if (r.status !== 0) throw new Error(r.stderr)
    return JSON.parse(r.stdout)
  }
  for (let i = 0; i < RUNS; i++) {
    for (const lib of ['sheetjs', 'exceljs']) {
      const file = join(dir, `${lib}.xlsx`)
      for (const op of ['write', 'read']) {
        const r = run(lib, op, file)
        record(`${lib} ${op}`, r)
      }
      fileBytes[lib] = statSync(file).size
    }
  }
  // The same file (written by exceljs) read by both, so the read times compare the same bytes.
  const shared = join(dir, 'exceljs.xlsx')
  for (let i = 0; i < RUNS; i++)
    for (const lib of ['sheetjs', 'exceljs'])
      record(`${lib} read exceljs-file`, run(lib, 'read', shared))
  const out = {}
  for (const [k, v] of Object.entries(results))
    out[k] = {
      ms: Math.round(median(v.map((x) => x.ms))),
      peakMiB: Math.round(median(v.map((x) => x.peakRss)) / 1048576),
      runs: v.length,
    }
  console.log(JSON.stringify({ rows: ROWS, node: process.version, fileBytes, out }, null, 1))
}
