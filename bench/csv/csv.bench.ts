/**
 * CSV import/export benchmark (issue 5), Node. Run from the repository root:
 *   npx tsx bench/csv/csv.bench.ts [--rows 100000] [--runs 3]
 * Each run is a fresh child process (`--expose-gc`) so peak memory (maxRSS) belongs to one import.
 * Writes bench/results/csv.json.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as shared from '../../shared/src/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../..')
const Papa = createRequire(join(repo, 'shared/package.json'))(
  'papaparse',
) as typeof import('papaparse')

const STREETS = [
  '朝歌',
  '殷行',
  '五角场',
  '新江湾城',
  '四平路',
  '控江路',
  '延吉新村',
  '大桥',
  '平凉路',
  '江浦路',
  '桥盟',
  '灵山',
  '北窑',
  '高村',
  '庙口',
  '西岗',
]
const DISTRICTS = ['杨浦区', '淇县', '运河区', '新华区', '黄骅市', '任丘市', '浦东新区', '牡丹区']
const ORGS = [
  '新光源社会工作服务中心',
  '温馨社工事务所',
  '萤火社会工作发展中心',
  '阳光社工服务社',
  '同心社会工作服务中心',
]
const STATES = ['运营中', '筹建中', '暂停']

function rand(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** 100,000 × 12 ledger rows as a Chinese Excel user would save them (thousands separators, %, 万元, dates). */
function makeCsv(rows: number): string {
  const r = rand(42)
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!
  const out = [
    '站点名称,所属区,地址,运营机构,期间,服务人次,志愿者人数,投入资金（万元）,覆盖率,成立日期,示范站,运营状态',
  ]
  for (let i = 0; i < rows; i++) {
    const street = pick(STREETS)
    const served = Math.floor(r() * 5000)
    out.push(
      [
        `${street}街道社工站${i % 997}`,
        pick(DISTRICTS),
        `"${street}路${Math.floor(r() * 900) + 1}号，${pick(['社区服务中心', '党群服务中心', '便民服务站'])}二楼"`,
        pick(ORGS),
        `2024-${String((i % 12) + 1).padStart(2, '0')}`,
        served >= 1000 ? `"${served.toLocaleString('en-US')}"` : String(served),
        String(Math.floor(r() * 300)),
        `${(Math.floor(r() * 3000) / 10).toFixed(1)}万元`,
        `${(r() * 100).toFixed(1)}%`,
        `${2015 + Math.floor(r() * 9)}年${1 + Math.floor(r() * 12)}月${1 + Math.floor(r() * 28)}日`,
        r() < 0.2 ? '是' : '否',
        pick(STATES),
      ].join(','),
    )
  }
  return out.join('\r\n') + '\r\n'
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

/** One measurement in a fresh process: `baseline` (papaparse alone) or `ours` (import, then export). */
async function childRun(file: string, encoding: 'utf-8' | 'gb18030', what: 'baseline' | 'ours') {
  const bytes = new Uint8Array(readFileSync(file))
  gc()
  const base = process.memoryUsage().rss
  const result: Record<string, number> = { fileBytes: bytes.length }
  if (what === 'baseline') {
    // papaparse alone on the same bytes: the platform decodes, papaparse parses in one call; then unparse.
    let t0 = performance.now()
    const text = new TextDecoder(encoding).decode(bytes)
    const papa = Papa.parse<string[]>(text, { skipEmptyLines: true })
    result.baselineMs = ms(t0)
    result.baselinePeakRssDeltaBytes = process.resourceUsage().maxRSS * 1024 - base
    t0 = performance.now()
    const unparsed = Papa.unparse(papa.data, { newline: '\r\n' })
    result.baselineUnparseMs = ms(t0)
    result.baselineUnparseChars = unparsed.length
    process.stdout.write(JSON.stringify(result))
    return
  }
  // Ours: sniff + streaming decode + papaparse Parser, then plan (mapping, parseValue per cell), then apply.
  let t0 = performance.now()
  const read = await shared.readCsvSource(shared.bytesSource(bytes))
  result.readMs = ms(t0)
  if (!read.ok) throw new Error(JSON.stringify(read.refusal))
  result.readPeakRssDeltaBytes = process.resourceUsage().maxRSS * 1024 - base
  const { Doc } = await import('../../shared/node_modules/yjs/dist/yjs.mjs')
  const wb = shared.Workbook.create(new Doc(), { title: 'bench' })
  t0 = performance.now()
  const mapping = shared.suggestMapping(read.table, [])
  const planned = shared.planImport(read.table, mapping, undefined, {
    mode: 'append',
    onMisfit: 'text',
  })
  result.planMs = ms(t0)
  if (!planned.ok) throw new Error('plan')
  t0 = performance.now()
  const applied = shared.applyImportPlan(wb, { newSheetName: '导入' }, planned.plan)
  result.applyMs = ms(t0)
  if (!applied.ok) throw new Error('apply')
  result.importMs = result.readMs + result.planMs + result.applyMs
  result.rows = applied.report.added
  result.peakRssDeltaBytes = process.resourceUsage().maxRSS * 1024 - base
  // Export: format + neutralise + unparse + encode.
  t0 = performance.now()
  const exported = shared.exportSheetCsv(wb, applied.report.sheetId, { encoding })
  result.exportMs = ms(t0)
  result.exportBytes = exported.bytes.length
  process.stdout.write(JSON.stringify(result))
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

async function main() {
  const args = process.argv.slice(2)
  if (args[0] === '--child')
    return childRun(args[1]!, args[2] as 'utf-8' | 'gb18030', args[3] as 'baseline' | 'ours')
  const rows = Number(args[args.indexOf('--rows') + 1] || 100_000) || 100_000
  const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3) || 3
  const dir = mkdtempSync(join(tmpdir(), 'tz-csv-bench-'))
  const text = makeCsv(rows)
  const files = {
    'utf-8': join(dir, 'utf8.csv'),
    gb18030: join(dir, 'gb18030.csv'),
  } as const
  writeFileSync(files['utf-8'], new TextEncoder().encode(text))
  writeFileSync(files.gb18030, shared.encodeGb18030(text))
  const report: Record<string, unknown> = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    rows,
    columns: 12,
    runs,
  }
  for (const enc of ['utf-8', 'gb18030'] as const) {
    const all: Record<string, number>[] = []
    const run = (what: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--expose-gc',
            '--import',
            'tsx',
            fileURLToPath(import.meta.url),
            '--child',
            files[enc],
            enc,
            what,
          ],
          {
            cwd: repo,
            maxBuffer: 1 << 24,
          },
        ).toString(),
      ) as Record<string, number>
    for (let i = 0; i < runs; i++)
      all.push({ ...run('baseline'), ...run('ours'), loadAverage: loadavg()[0]! })
    const med: Record<string, number> = {}
    for (const k of Object.keys(all[0]!)) med[k] = median(all.map((r) => r[k]!))
    const summary = {
      fileMB: +(med.fileBytes! / 1e6).toFixed(2),
      papaparseAloneMs: med.baselineMs,
      loadAverage: med.loadAverage,
      decodeParseMs: med.readMs,
      planMs: med.planMs,
      applyMs: med.applyMs,
      importTotalMs: med.importMs,
      importRatio: +(med.importMs! / med.baselineMs!).toFixed(2),
      decodeParseRatio: +(med.readMs! / med.baselineMs!).toFixed(2),
      peakMemoryMB: +(med.peakRssDeltaBytes! / 1e6).toFixed(1),
      readPeakMemoryRatio: +(med.readPeakRssDeltaBytes! / med.fileBytes!).toFixed(2),
      papaparsePeakMemoryRatio: +(med.baselinePeakRssDeltaBytes! / med.fileBytes!).toFixed(2),
      peakMemoryRatio: +(med.peakRssDeltaBytes! / med.fileBytes!).toFixed(2),
      exportMs: med.exportMs,
      papaparseUnparseMs: med.baselineUnparseMs,
      exportRatio: +(med.exportMs! / med.baselineUnparseMs!).toFixed(2),
      targets: {
        importTotal: 'importTotalMs ≤ 2.5 × papaparseAloneMs',
        export: 'exportMs ≤ 2 × papaparseUnparseMs',
        memory: 'peak ≤ 4 × file size',
      },
    }
    report[enc] = { summary, median: med, runs: all }
    console.log(enc, JSON.stringify(summary, null, 1))
  }
  mkdirSync(join(repo, 'bench/results'), { recursive: true })
  writeFileSync(join(repo, 'bench/results/csv.json'), JSON.stringify(report, null, 2) + '\n')
}

await main()
