/**
 * CSV benchmark in Chromium (issue 5): bundles browserEntry.ts with Vite and runs it in Debian's
 * Chromium through playwright-core, one fresh page per run. From the repository root:
 *   npx tsx bench/csv/browser.bench.ts [--rows 100000] [--runs 3]
 * Merges its figures into bench/results/csv.json under "chromium".
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { CHROMIUM } from '../../web/e2e/harness.js'
import { chromium } from '../../web/node_modules/playwright-core/index.mjs'
import { benchSize, csvSummary, medians } from './summary.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../..')
const { rows, runs } = benchSize()

const outDir = mkdtempSync(join(tmpdir(), 'tz-csv-browser-'))
await build({
  configFile: false,
  root: repo,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      entry: join(here, 'browserEntry.ts'),
      formats: ['iife'],
      name: 'TzCsvBench',
      fileName: () => 'bench.js',
    },
  },
})
const script = join(outDir, 'bench.js')

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
})
const report: Record<string, unknown> = { rows, runs, chromium: browser.version() }
try {
  for (const enc of ['utf-8', 'gb18030'] as const) {
    const all: Record<string, number>[] = []
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage()
      await page.setContent('<!doctype html><meta charset="utf-8"><title>csv bench</title>')
      await page.addScriptTag({ content: readFileSync(script, 'utf8') })
      const r = (await page.evaluate(
        ([n, e]) =>
          (
            globalThis as unknown as {
              runCsvBench: (n: number, e: string) => Promise<Record<string, number>>
            }
          ).runCsvBench(n as number, e as string),
        [rows, enc] as const,
      )) as Record<string, number>
      all.push({ ...r, loadAverage: loadavg()[0]! })
      await page.close()
    }
    const med = medians(all)
    const summary = {
      ...csvSummary(med, {
        papaparse: 'papaparseMs',
        read: 'decodeParseMs',
        unparse: 'papaparseUnparseMs',
      }),
      papaparseHeapRatio: +(med.papaparseHeapBytes! / med.fileBytes!).toFixed(2),
      readHeapRatio: +(med.readHeapBytes! / med.fileBytes!).toFixed(2),
      importHeapRatio: +(med.importHeapBytes! / med.fileBytes!).toFixed(2),
      docHeapRatio: +(med.docHeapBytes! / med.fileBytes!).toFixed(2),
      importMinusDocHeapRatio: +(
        (med.importHeapBytes! - med.docHeapBytes!) /
        med.fileBytes!
      ).toFixed(2),
    }
    report[enc] = { summary, median: med, runs: all }
    console.log('chromium', enc, JSON.stringify(summary, null, 1))
  }
} finally {
  await browser.close()
}
const file = join(repo, 'bench/results/csv.json')
const existing = existsSync(file)
  ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
  : {}
writeFileSync(file, JSON.stringify({ ...existing, chromium: report }, null, 2) + '\n')
