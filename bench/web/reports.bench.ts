/**
 * issue 14 in the web app: opening 报表 on a 100,800-row metrics sheet (2,800 stations × 36 months)
 * with a summary 区县 (through `站点.区县`) × 期间 of 服务人次 — the longest main-thread task from the
 * click until the summary's table is shown, and the time until then.
 *
 *   npx tsx bench/web/reports.bench.ts [--runs 3] [--shot FILE.png] [--profile FILE.cpuprofile]
 *
 * Builds the app with the measurement hook (`VITE_TZ_DEBUG=1`), starts the real `taizhang serve` on
 * 127.0.0.1, writes the stations and metrics sheets through the app's session and the summary's
 * definition into the doc (the key `summary:<id>` of the `ledger` map, as `saveSummary` writes it),
 * then opens and closes the reports view `--runs` times. Tasks are read with a PerformanceObserver
 * ('longtask', ≥ 50 ms; shorter ones count as under 50). `--shot` saves a screenshot taken while
 * the summary is being computed (its progress line); `--profile` a CPU profile (Chrome DevTools
 * protocol) of the first open. Writes bench/results/reports.json.
 */
import { dirname } from 'node:path'
import {
  argValue,
  type CpuProfiler,
  makeCpuProfiler,
  median,
  openBenchPage,
  runMain,
  startLongTasks,
  stopLongTasks,
  writeResult,
} from './page.js'

const STATIONS = 2800
const MONTHS = 36

async function main() {
  const args = process.argv.slice(2)
  const runs = Number(argValue(args, 'runs')) || 3
  const shot = argValue(args, 'shot')
  const profile = argValue(args, 'profile')
  // With --profile: source maps next to the profile, to read the minified frames.
  const bench = await openBenchPage({ name: 'reports', sourcemap: !!profile })
  const { page, context } = bench
  try {
    await bench.openWorkbook('empty')
    const rows = await page.evaluate(
      ({ stations, months }) => {
        // biome-ignore lint/suspicious/noExplicitAny: runs in the page, where the app's types are not in scope
        const wb = (window as never as { __tzBench: { session: { workbook: any } } }).__tzBench
          .session.workbook
        const st = wb.sheet(wb.addSheet('站点'))
        const name = st.addColumn({ name: '站点名称', type: 'text' })
        const district = st.addColumn({ name: '区县', type: 'text' })
        const ids: string[] = st.insertRows(
          Array.from({ length: stations }, (_, i) => ({
            [name]: `站点${i}`,
            [district]: `区县${i % 120}`,
          })),
        )
        const m = wb.sheet(wb.addSheet('指标'))
        const station = m.addColumn({
          name: '站点',
          type: 'reference',
          format: { refSheet: st.id, refColumn: name },
        })
        const period = m.addColumn({
          name: '期间',
          type: 'period',
          format: { granularity: 'month' },
        })
        const served = m.addColumn({ name: '服务人次', type: 'integer' })
        let seed = 14
        const rand = () => {
          seed = (seed * 1103515245 + 12345) % 2147483648
          return seed / 2147483648
        }
        const batch: Record<string, string | number>[] = []
        for (let s = 0; s < stations; s++)
          for (let k = 0; k < months; k++) {
            const y = 2022 + Math.floor(k / 12)
            const mo = String((k % 12) + 1).padStart(2, '0')
            batch.push({
              [station]: ids[s]!,
              [period]: `${y}-${mo}`,
              [served]: Math.floor(100 + rand() * 600),
            })
          }
        for (let i = 0; i < batch.length; i += 20_000) m.insertRows(batch.slice(i, i + 20_000))
        // The definition as saveSummary stores it (model/definitions.ts: one JSON value per key).
        wb.transact(() =>
          wb.doc.getMap('ledger').set('summary:benchsum1', {
            type: 'table',
            title: '区县 × 期间',
            sheetId: m.id,
            groupBy: ['站点.区县', '期间'],
            measures: [{ kind: 'sum', expr: '服务人次' }],
          }),
        )
        return m.rowCount()
      },
      { stations: STATIONS, months: MONTHS },
    )
    console.log(`metrics sheet: ${rows} rows`)

    const results: { longest: number[]; shown: number[]; tasks: number[] } = {
      longest: [],
      shown: [],
      tasks: [],
    }
    for (let run = 0; run < runs; run++) {
      await startLongTasks(page, 'tz:bench-open')
      const cdp: CpuProfiler | null =
        profile && run === 0 ? await makeCpuProfiler(context, page, 500) : null
      await cdp?.start()
      const t0 = Date.now()
      await page.getByTestId('reports-open').click()
      if (shot && run === 0) {
        await page.getByTestId('summary-building').waitFor({ timeout: 30_000 })
        await page.screenshot({ path: shot })
      }
      // The table is shown when its grand total row is there (the progress line is gone).
      await page.waitForFunction(
        () =>
          !document.querySelector('[data-testid="summary-building"]') &&
          document.querySelectorAll('[data-testid="summary-table"] tr').length > 100,
        undefined,
        { timeout: 60_000, polling: 50 },
      )
      const shownMs = Date.now() - t0
      if (cdp && profile) await cdp.stop(profile)
      const tasks = await stopLongTasks(page)
      results.longest.push(Math.max(0, ...tasks))
      results.shown.push(shownMs)
      results.tasks.push(tasks.length)
      console.log(
        `run ${run + 1}: shown after ${shownMs} ms, longest task ${Math.max(0, ...tasks).toFixed(0)} ms, ${tasks.length} tasks ≥ 50 ms`,
      )
      // Close the view, so the next run opens it from cold.
      await page.getByTestId('reports-close').click()
      await page.waitForFunction(() => !document.querySelector('.reports-main'), undefined, {
        timeout: 10_000,
      })
    }
    const out = {
      date: new Date().toISOString(),
      rows,
      runs,
      medians: {
        longestTaskMs: median(results.longest),
        shownMs: median(results.shown),
        longTasks: median(results.tasks),
      },
      raw: results,
    }
    writeResult('reports', out)
    console.log(JSON.stringify(out.medians))
  } finally {
    await bench.close(profile ? { keepAssetsIn: dirname(profile) } : {})
  }
}

runMain(main)
