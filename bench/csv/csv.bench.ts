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
import { makeCsv } from './data.js'
import { benchSize, csvSummary, medians } from './summary.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../..')
const Papa = createRequire(join(repo, 'shared/package.json'))(
  'papaparse',
) as typeof import('papaparse')

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
  t0 = performance.now()
  const table = shared.exportSheetRows(wb, applied.report.sheetId)
  result.exportRowsMs = ms(t0)
  t0 = performance.now()
  const csv = shared.writeCsvText(table.header, table.rows)
  result.exportWriteMs = ms(t0)
  t0 = performance.now()
  shared.encodeCsvText(csv, { encoding })
  result.exportEncodeMs = ms(t0)
  // The same apply with seeded ids: separates the model's per-id crypto cost from the import's own.
  let seed = 1
  const seeded = shared.Workbook.create(new Doc(), {
    title: 'bench',
    random: () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    },
  })
  t0 = performance.now()
  shared.applyImportPlan(seeded, { newSheetName: '导入' }, planned.plan)
  result.applySeededIdsMs = ms(t0)
  process.stdout.write(JSON.stringify(result))
}

async function main() {
  const args = process.argv.slice(2)
  if (args[0] === '--child')
    return childRun(args[1]!, args[2] as 'utf-8' | 'gb18030', args[3] as 'baseline' | 'ours')
  const { rows, runs } = benchSize(args)
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
    const med = medians(all)
    const summary = {
      ...csvSummary(med, { papaparse: 'baselineMs', read: 'readMs', unparse: 'baselineUnparseMs' }),
      peakMemoryMB: +(med.peakRssDeltaBytes! / 1e6).toFixed(1),
      readPeakMemoryRatio: +(med.readPeakRssDeltaBytes! / med.fileBytes!).toFixed(2),
      papaparsePeakMemoryRatio: +(med.baselinePeakRssDeltaBytes! / med.fileBytes!).toFixed(2),
      peakMemoryRatio: +(med.peakRssDeltaBytes! / med.fileBytes!).toFixed(2),
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
