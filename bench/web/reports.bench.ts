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
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWorkbook, launchChromium, startServer } from '../../web/e2e/harness.js'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const STATIONS = 2800
const MONTHS = 36
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main() {
  const args = process.argv.slice(2)
  const runs = Number(args[args.indexOf('--runs') + 1]) || 3
  const shot = args.includes('--shot') ? args[args.indexOf('--shot') + 1] : undefined
  const profile = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined
  const work = mkdtempSync(join(tmpdir(), 'tz-reports-bench-'))
  const webDir = join(work, 'web')
  execFileSync(
    'npx',
    [
      'vite',
      'build',
      '--outDir',
      webDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
      // With --profile: source maps next to the profile, to read the minified frames.
      ...(profile ? ['--sourcemap'] : []),
    ],
    {
      cwd: REPO,
      env: { ...process.env, VITE_TZ_DEBUG: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  mkdirSync(join(work, 'data'))
  const server = await startServer({ webDir, dataDir: join(work, 'data') })
  const context = await launchChromium(join(work, 'profile'), {
    viewport: { width: 1280, height: 800 },
  })
  try {
    await context.addInitScript({ content: 'globalThis.__name ??= (f) => f' })
    await context.addInitScript(() => {
      if (!localStorage.getItem('taizhang.identity'))
        localStorage.setItem(
          'taizhang.identity',
          JSON.stringify({ id: 'bench-reports', name: '测评', color: '#2563eb' }),
        )
    })
    const page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (e) => console.error('pageerror:', e.message))
    await createWorkbook(page, server.origin, server.token, 'empty')
    await page.waitForFunction(
      () => !!(window as never as { __tzBench?: { session: unknown } }).__tzBench?.session,
    )
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
      await page.evaluate(() => {
        const w = window as never as { __tzTasks: number[]; __tzObs: PerformanceObserver }
        w.__tzTasks = []
        w.__tzObs = new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__tzTasks.push(e.duration)
        })
        w.__tzObs.observe({ type: 'longtask' })
        performance.mark('tz:bench-open')
      })
      const cdp = profile && run === 0 ? await context.newCDPSession(page) : null
      if (cdp) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
        await cdp.send('Profiler.start')
      }
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
      if (cdp && profile) {
        const { profile: p } = await cdp.send('Profiler.stop')
        writeFileSync(profile, JSON.stringify(p))
      }
      const tasks = await page.evaluate(async () => {
        await new Promise((r) => setTimeout(r, 300))
        const w = window as never as { __tzTasks: number[]; __tzObs: PerformanceObserver }
        w.__tzObs.disconnect()
        return w.__tzTasks
      })
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
    mkdirSync(join(REPO, 'bench/results'), { recursive: true })
    writeFileSync(join(REPO, 'bench/results/reports.json'), `${JSON.stringify(out, null, 2)}\n`)
    console.log(JSON.stringify(out.medians))
  } finally {
    await context.close()
    await server.stop()
    if (profile)
      cpSync(join(webDir, 'assets'), join(dirname(profile), 'assets'), { recursive: true })
    rmSync(work, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
