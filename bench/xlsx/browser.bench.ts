/**
 * .xlsx benchmark in Chromium (issue #15 §6): bundles browserEntry.ts with Vite and runs it in
 * Debian's Chromium through playwright-core, one fresh page per run. From the repository root:
 *   npx tsx bench/xlsx/browser.bench.ts [--rows 100000] [--runs 3]
 * Writes bench/results/xlsx.json (medians and every run).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { CHROMIUM } from '../../web/e2e/harness.js'
import { chromium } from '../../web/node_modules/playwright-core/index.mjs'
import { benchSize, medians } from '../csv/summary.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../..')
const { rows, runs } = benchSize()

const outDir = mkdtempSync(join(tmpdir(), 'tz-xlsx-browser-'))
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
      name: 'TzXlsxBench',
      fileName: () => 'bench.js',
    },
  },
})
const script = readFileSync(join(outDir, 'bench.js'), 'utf8')

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
})
const all: Record<string, number>[] = []
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage()
    await page.setContent('<!doctype html><meta charset="utf-8"><title>xlsx bench</title>')
    await page.addScriptTag({ content: script })
    const r = (await page.evaluate(
      ([n, src]) =>
        (
          globalThis as unknown as {
            runXlsxBench: (n: number, src: string) => Promise<Record<string, number>>
          }
        ).runXlsxBench(n as number, src as string),
      [rows, script] as const,
    )) as Record<string, number>
    all.push({ ...r, loadAverage: loadavg()[0]! })
    console.log(`run ${i + 1}`, JSON.stringify(r))
    await page.close()
  }
} finally {
  await browser.close()
}
const med = medians(all)
const summary = {
  importMs: med.importMs,
  bareReadMs: med.bareReadMs,
  importRatio: +(med.importMs! / med.bareReadMs!).toFixed(2),
  exportMs: med.exportMs,
  bareWriteMs: med.bareWriteMs,
  exportRatio: +(med.exportMs! / med.bareWriteMs!).toFixed(2),
  exportLongestTaskMs: med.exportLongestTaskMs,
  exportWorkerMs: med.exportWorkerMs,
  exportWorkerLongestTaskMs: med.exportWorkerLongestTaskMs,
  importApplyLongestTaskMs: med.importApplyLongestTaskMs,
  importHeapRatio: +(med.importHeapBytes! / med.fileBytes!).toFixed(2),
  fileBytes: med.fileBytes,
}
console.log('chromium xlsx', JSON.stringify(summary, null, 1))
writeFileSync(
  join(repo, 'bench/results/xlsx.json'),
  `${JSON.stringify({ rows, runs, chromium: browser.version(), summary, median: med, runs_: all }, null, 2)}\n`,
)
