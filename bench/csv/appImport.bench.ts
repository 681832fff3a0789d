/**
 * The import as a user does it (issue 5, "the page stays responsive"): the built app served by the
 * real `taizhang serve`, Debian's Chromium, a new empty workbook, a 100,000 × 12 GB18030 file picked
 * in the import dialog, 检查 then 导入. Records every main-thread long task (PerformanceObserver) from
 * the file pick until the imported rows are on screen, split into the read + plan phase (the worker
 * works, the main thread should idle) and the apply (one Yjs transaction, by design).
 *   npx vite build && npx tsx bench/csv/appImport.bench.ts [--rows 100000] [--runs 3] [--into new|existing]
 * `--into new` (default, the setting): a new empty workbook, so the rows land in a new sheet.
 * `--into existing`: a demo workbook, the rows appended to its open sheet (the grid adds them).
 * Merges its figures into bench/results/csv.json under "app" (or "appExisting"). With PROFILE=1 it
 * also writes CPU profiles of both phases to the temp dir (tz-app-readplan/apply.cpuprofile).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeGb18030 } from '../../shared/src/index.js'
import { createWorkbook, openBrowser, REPO, startServer } from '../../web/e2e/harness.js'
import { makeCsv } from './data.js'
import { benchSize, medians } from './summary.js'

const { rows, runs } = benchSize()
const intoArg = process.argv.indexOf('--into')
const into = intoArg >= 0 && process.argv[intoArg + 1] === 'existing' ? 'existing' : 'new'
const file = Buffer.from(encodeGb18030(makeCsv(rows)))
// Picked from disk: with a buffer, playwright-core injects the file into the page as base64 (seconds
// of main-thread work that a user picking a file never pays).
const filePath = join(mkdtempSync(join(tmpdir(), 'tz-csv-app-')), '台账.csv')
writeFileSync(filePath, file)

type LongTask = { start: number; duration: number }

async function once(): Promise<Record<string, number>> {
  const server = await startServer()
  const br = await openBrowser('csv-app', { name: '导入员', color: '#7c3aed' })
  try {
    const page = br.page
    await createWorkbook(page, server.origin, server.token, into === 'new' ? 'empty' : 'demo')
    const rowsBefore =
      into === 'new'
        ? 0
        : Number((await page.getByTestId('row-count').textContent())?.replace(/\D/g, ''))
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: LongTask[] }
      w.__longTasks = []
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.__longTasks.push({ start: e.startTime, duration: e.duration })
      }).observe({ type: 'longtask' })
    })
    const now = () => page.evaluate(() => performance.now())
    const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    const t0 = await now()
    await page.getByTestId('csv-file-input').setInputFiles(filePath)
    await page.getByTestId('csv-check').waitFor({ timeout: 120_000 })
    await page.getByTestId('csv-check').click()
    await page.getByTestId('csv-apply').waitFor({ timeout: 120_000 })
    const t1 = await now()
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop')
      writeFileSync(join(tmpdir(), 'tz-app-readplan.cpuprofile'), JSON.stringify(profile))
      await cdp.send('Profiler.start')
    }
    await page.getByTestId('csv-apply').click()
    await page.getByTestId('csv-close').waitFor({ timeout: 120_000 })
    await page.getByTestId('csv-close').click()
    if (into === 'new') await page.locator('.ag-row[row-index="0"]').waitFor({ timeout: 120_000 })
    else {
      // The status bar counts the sheet's rows; then give the grid's chunked adds time to run.
      await page.waitForFunction(
        (n) =>
          Number(
            document.querySelector('[data-testid="row-count"]')?.textContent?.replace(/\D/g, ''),
          ) === n,
        rows + rowsBefore,
        { timeout: 120_000, polling: 100 },
      )
      await page.waitForTimeout(1500)
    }
    // Let the last long tasks be reported.
    await page.waitForTimeout(500)
    const t2 = await now()
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop')
      writeFileSync(join(tmpdir(), 'tz-app-apply.cpuprofile'), JSON.stringify(profile))
    }
    const tasks = await page.evaluate(
      () => (window as unknown as { __longTasks: LongTask[] }).__longTasks,
    )
    const within = (a: number, b: number) =>
      tasks.filter((t) => t.start >= a && t.start < b).map((t) => t.duration)
    const readPlan = within(t0, t1)
    const apply = within(t1, t2)
    if (cdp)
      console.log(
        'long tasks of the apply (ms after 导入, duration):',
        tasks
          .filter((t) => t.start >= t1 && t.start < t2)
          .map((t) => `${Math.round(t.start - t1)}:${Math.round(t.duration)}`)
          .join(' '),
      )
    return {
      fileBytes: file.length,
      readPlanMs: t1 - t0,
      longestTaskReadPlanMs: Math.max(0, ...readPlan),
      longTasksReadPlan: readPlan.length,
      applyToRowsMs: t2 - t1 - (into === 'new' ? 500 : 2000),
      longestTaskApplyMs: Math.max(0, ...apply),
      longTasksApply: apply.length,
      loadAverage: loadavg()[0]!,
    }
  } finally {
    await br.close()
    await server.stop()
  }
}

const all: Record<string, number>[] = []
for (let i = 0; i < runs; i++) {
  const r = await once()
  console.log(JSON.stringify(r))
  all.push(r)
}
const out = join(REPO, 'bench/results/csv.json')
const existing = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as object) : {}
const median = medians(all)
writeFileSync(
  out,
  JSON.stringify(
    { ...existing, [into === 'new' ? 'app' : 'appExisting']: { rows, runs: all, median } },
    null,
    2,
  ) + '\n',
)
console.log('app import median', JSON.stringify(median))
