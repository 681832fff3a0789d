/**
 * Range operations in the web app (issue 12): select + copy of 100 × 12 and 10,000 × 12 cells,
 * clear of a 10,000-cell range, fill-down of 5,000 rows; the longest main-thread task of each.
 *
 *   npx tsx bench/web/range.bench.ts [--runs 5] [--profile DIR] [--only copy10k,clear10k]
 *
 * Builds the app with the measurement hook (`VITE_TZ_DEBUG=1`, into a temporary directory), starts
 * the real `taizhang serve` on 127.0.0.1, opens a new workbook in Chromium and writes a 10,000 × 12
 * sheet into it through the app's own session. Each operation runs through the grid handle the
 * commands use (range → copy TSV / clear / fill down); its task is the synchronous call plus every
 * 'longtask' (PerformanceObserver) until the grid has settled. The reference, measured in the same
 * page and run, is the bare model work the operation cannot avoid: reading the same cells and
 * joining them as TSV (copy), or `sheet.setCells` of the same edits (clear, fill-down).
 * Prints a markdown table; writes bench/results/range.json. `--profile DIR` also writes a CPU
 * profile (Chrome DevTools protocol) of each operation's first run of ours to DIR/<op>.cpuprofile;
 * `--only` runs some of the operations.
 */
import { join } from 'node:path'
import { COLUMNS, generateRows } from '../layout/data.js'
import {
  argValue,
  type CpuProfiler,
  makeCpuProfiler,
  median,
  openBenchPage,
  runMain,
  writeResult,
} from './page.js'

const ROWS = 10_000

type Op = 'copy100' | 'copy10k' | 'clear10k' | 'fill5k'

async function main() {
  const args = process.argv.slice(2)
  const runs = Number(argValue(args, 'runs')) || 5
  const profileDir = argValue(args, 'profile')
  const only = argValue(args, 'only')?.split(',')
  // With --profile: source maps next to the profiles, to read the minified frames.
  const bench = await openBenchPage({ name: 'range', sourcemap: !!profileDir })
  const { page, context } = bench
  try {
    await bench.openWorkbook('demo')
    // A 10,000 × 12 sheet written through the app's session (the same model calls as an import).
    const rows = generateRows(ROWS)
    const sheetId = await page.evaluate(
      ({ columns, rows }) => {
        // biome-ignore lint/suspicious/noExplicitAny: runs in the page, where the app's types are not in scope
        const hook = (window as never as { __tzBench: { session: { workbook: any } } }).__tzBench
        const wb = hook.session.workbook
        const id = wb.addSheet('基准')
        const sheet = wb.sheet(id)
        const ids = columns.map((c: { name: string; type: string }) =>
          sheet.addColumn(
            c.type === 'enum'
              ? {
                  name: c.name,
                  type: c.type,
                  constraints: {
                    options: ['运营中', '筹建中', '暂停', '撤销'].map((value) => ({ value })),
                  },
                }
              : { name: c.name, type: c.type },
          ),
        )
        for (let i = 0; i < rows.length; i += 5000)
          sheet.insertRows(
            rows
              .slice(i, i + 5000)
              .map((r: unknown[]) =>
                Object.fromEntries(ids.map((c: string, j: number) => [c, r[j] ?? null])),
              ),
          )
        return id
      },
      { columns: COLUMNS, rows },
    )
    await page.locator(`[data-testid="sheet-tabs"] .tab[data-sheet-id="${sheetId}"]`).click()
    await page.waitForFunction(
      (n) => {
        const g = (
          window as never as {
            __tzBench: { grid: { api: { getDisplayedRowCount(): number } } | null }
          }
        ).__tzBench.grid
        return g !== null && g.api.getDisplayedRowCount() === n
      },
      ROWS,
      { timeout: 60_000 },
    )

    const measure = (op: Op, reference: boolean) =>
      page.evaluate(
        async ({ op, reference }) => {
          // biome-ignore lint/suspicious/noExplicitAny: runs in the page, where the app's types are not in scope
          const hook = (window as never as { __tzBench: { session: { workbook: any }; grid: any } })
            .__tzBench
          const g = hook.grid
          const sheet = hook.session.workbook.sheet(g.api.getGridOption('context').sheetId)
          const cols: string[] = sheet.columns().map((c: { id: string }) => c.id)
          const rowIds: string[] = sheet.rowIds()
          const shape = {
            copy100: [100, 12],
            copy10k: [10_000, 12],
            clear10k: [1000, 10],
            fill5k: [5000, 1],
          }[op] as [number, number]
          const [nRows, nCols] = shape
          const tasks: number[] = []
          const obs = new PerformanceObserver((l) => {
            for (const e of l.getEntries()) tasks.push(e.duration)
          })
          obs.observe({ type: 'longtask' })
          // Start each run from the same cell with a one-cell range.
          g.focusCell(rowIds[0], cols[0])
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))
          // The selection is its own user action (Shift+click, Shift+Ctrl+End), so its own
          // task: made and drawn before the operation's clock starts; its task counts in the
          // longest task (below) but is not added to the operation's.
          let select = 0
          if (!reference) {
            const s0 = performance.now()
            g.extendRange(nRows - 1, nCols - 1)
            select = performance.now() - s0
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))
          }
          const t0 = performance.now()
          let out = 0
          if (reference) {
            if (op === 'copy100' || op === 'copy10k') {
              const lines: string[] = []
              for (let r = 0; r < nRows; r++)
                lines.push(
                  cols
                    .slice(0, nCols)
                    .map((c) => String(sheet.getCell(rowIds[r], c) ?? ''))
                    .join('\t'),
                )
              out = lines.join('\r\n').length
            } else {
              const edits: { row: string; col: string; value: unknown }[] = []
              for (let r = op === 'fill5k' ? 1 : 0; r < nRows; r++)
                for (const c of cols.slice(0, nCols))
                  edits.push({
                    row: rowIds[r]!,
                    col: c,
                    value: op === 'fill5k' ? sheet.getCell(rowIds[0], c) : null,
                  })
              sheet.setCells(edits)
            }
          } else {
            if (op === 'copy100' || op === 'copy10k') out = g.copySelection().length
            else if (op === 'clear10k') g.clearSelectedCells()
            else g.fillDown()
          }
          const sync = performance.now() - t0
          // Until the grid has drawn the change and nothing more runs.
          await new Promise((r) =>
            requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300))),
          )
          obs.disconnect()
          // Put the data back for the next run (not measured).
          hook.session.workbook.undo?.()
          return { longest: Math.max(select, sync, ...tasks), select, sync, out }
        },
        { op, reference },
      )

    const undo = () =>
      page.evaluate(() => {
        const hook = (window as never as { __tzBench: { session: { undo: { undo(): void } } } })
          .__tzBench
        hook.session.undo.undo()
      })
    const results: Record<
      string,
      { ours: number[]; reference: number[]; select: number[]; operation: number[] }
    > = {}
    const cdp: CpuProfiler | null = profileDir ? await makeCpuProfiler(context, page, 200) : null
    const ops = (['copy100', 'copy10k', 'clear10k', 'fill5k'] as Op[]).filter(
      (op) => !only || only.includes(op),
    )
    for (const op of ops) {
      results[op] = { ours: [], reference: [], select: [], operation: [] }
      for (let i = 0; i < runs; i++) {
        // Interleaved, so both see the same page state and heap.
        if (cdp && i === 0) await cdp.start()
        const ours = await measure(op, false)
        if (cdp && profileDir && i === 0) await cdp.stop(join(profileDir, `${op}.cpuprofile`))
        if (op === 'clear10k' || op === 'fill5k') await undo()
        const ref = await measure(op, true)
        if (op === 'clear10k' || op === 'fill5k') await undo()
        results[op]!.ours.push(ours.longest)
        results[op]!.reference.push(ref.longest)
        results[op]!.select.push(ours.select)
        results[op]!.operation.push(ours.sync)
      }
    }
    const label: Record<Op, string> = {
      copy100: 'select + copy 100 × 12 (TSV)',
      copy10k: 'select + copy 10,000 × 12 (TSV)',
      clear10k: 'clear a 10,000-cell range (1,000 × 10)',
      fill5k: 'fill down 5,000 rows (Ctrl+D)',
    }
    const target: Record<Op, number> = { copy100: 100, copy10k: 200, clear10k: 100, fill5k: 200 }
    const lines = [
      `| operation (${runs} runs, longest main-thread task) | ours median ms | reference median ms | ratio | target | | select task / operation call ms |`,
      '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ]
    for (const op of Object.keys(results) as Op[]) {
      const o = median(results[op]!.ours)
      const r = median(results[op]!.reference)
      lines.push(
        `| ${label[op]} | ${o.toFixed(1)} | ${r.toFixed(1)} | ${(o / r).toFixed(2)} | ≤ ${target[op]} | ${o <= target[op] ? 'PASS' : 'FAIL'} | ${median(results[op]!.select).toFixed(1)} / ${median(results[op]!.operation).toFixed(1)} |`,
      )
    }
    writeResult('range', results)
    console.log(lines.join('\n'))
  } finally {
    await bench.close(profileDir ? { keepAssetsIn: profileDir } : {})
  }
}

runMain(main)
