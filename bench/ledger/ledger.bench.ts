/**
 * issue 14 (ledger): summaries, completeness and computed columns over a 100,000-row metrics sheet
 * (≈2,800 stations × 36 months), each against a plain-JS floor measured in the same run: the same
 * figures computed with a Map group-by over plain arrays of the same values.
 *
 *   npx tsx bench/ledger/ledger.bench.ts [--stations 2800] [--months 36] [--runs 5]
 *
 * Writes bench/results/ledger.json; BENCHMARKS.md ("Ledger") quotes it.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type CompletenessSettings,
  compileSource,
  completenessOf,
  createWorkbookScopes,
  LiveSummary,
  periodsBetween,
  seededRandom,
  Workbook,
} from '../../shared/src/index.js'
import { Y } from '../layout/deps.js'

const argv = process.argv.slice(2)
const arg = (name: string, dflt: number) => {
  const i = argv.indexOf(name)
  return i >= 0 ? Number(argv[i + 1]) || dflt : dflt
}
const STATIONS = arg('--stations', 2800)
const MONTHS = arg('--months', 36)
const RUNS = arg('--runs', 5)
const DISTRICTS = 120

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function time<T>(fn: () => T): [number, T] {
  const t0 = performance.now()
  const v = fn()
  return [performance.now() - t0, v]
}

/** The workbook, plus the same data as plain arrays for the floor. */
function build() {
  const rand = seededRandom(14)
  const wb = Workbook.create(new Y.Doc(), { title: 'bench', random: rand })
  const st = wb.sheet(wb.addSheet('站点'))
  const name = st.addColumn({ name: '站点名称', type: 'text' })
  const district = st.addColumn({ name: '区县', type: 'text' })
  const stationIds = st.insertRows(
    Array.from({ length: STATIONS }, (_, i) => ({
      [name]: `站点${i}`,
      [district]: `区县${i % DISTRICTS}`,
    })),
  )
  const m = wb.sheet(wb.addSheet('指标'))
  const c = {
    station: m.addColumn({
      name: '站点',
      type: 'reference',
      format: { refSheet: st.id, refColumn: name },
    }),
    period: m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } }),
    served: m.addColumn({ name: '服务人次', type: 'integer' }),
    act: m.addColumn({ name: '服务活动', type: 'integer' }),
    workers: m.addColumn({ name: '持证社工人数', type: 'integer' }),
  }
  const periods = periodsBetween('2022-01', '2024-12', 'month').slice(0, MONTHS)
  const plain: { station: number; period: string; served: number; act: number; workers: number }[] =
    []
  const rows: Record<string, string | number>[] = []
  for (let s = 0; s < STATIONS; s++) {
    for (const p of periods) {
      const r = {
        station: s,
        period: p,
        served: Math.floor(100 + rand() * 600),
        act: Math.floor(5 + rand() * 30),
        workers: 1 + Math.floor(rand() * 8),
      }
      plain.push(r)
      rows.push({
        [c.station]: stationIds[s]!,
        [c.period]: p,
        [c.served]: r.served,
        [c.act]: r.act,
        [c.workers]: r.workers,
      })
    }
  }
  m.insertRows(rows)
  return { wb, st, m, c, stationIds, district, periods, plain }
}

function floorGroupBy(plain: ReturnType<typeof build>['plain']) {
  const m = new Map<string, number>()
  for (const r of plain) {
    const k = `区县${r.station % DISTRICTS}\u0001${r.period}`
    m.set(k, (m.get(k) ?? 0) + r.served)
  }
  return m
}

const results: Record<string, number[]> = {}
const put = (k: string, v: number) => {
  if (!results[k]) results[k] = []
  results[k].push(v)
}

const [buildMs, data] = time(build)
const { wb, st, m, c, stationIds, district, periods, plain } = data
console.log(`built ${m.rowCount()} rows in ${buildMs.toFixed(0)} ms`)
const scopes = createWorkbookScopes(wb)
const scope = scopes.scope(m.id)!
const def = {
  title: '区县 × 期间',
  sheetId: m.id,
  groupBy: ['站点.区县', '期间'],
  measures: [{ kind: 'sum' as const, expr: '服务人次' }],
}
const settings: CompletenessSettings = {
  sheetId: m.id,
  stationColumn: c.station,
  periodColumn: c.period,
  granularity: 'month',
  required: [c.served, c.act, c.workers],
  from: periods[0]!,
  to: periods.at(-1)!,
  districtColumn: district,
}

// A second replica that makes the "remote" edits.
const remote = new Y.Doc()
Y.applyUpdate(remote, Y.encodeStateAsUpdate(wb.doc))
const remoteWb = Workbook.open(remote).workbook
const remoteSheet = remoteWb.sheet(m.id)
const rowIds = m.rowIds()

for (let run = 0; run < RUNS; run++) {
  // Summary from cold: compile + one pass over every row + the table and cross-tab.
  const [coldMs, live] = time(() => {
    const r = LiveSummary.create(def, scope)
    if (!r.ok) throw new Error(r.error.message.en)
    r.summary.table()
    r.summary.crossTab()
    return r.summary
  })
  put('summaryColdMs', coldMs)
  const [floorMs] = time(() => floorGroupBy(plain))
  put('summaryFloorMs', floorMs)
  // The same cold start in slices of 10,000 rows, as the web app runs it (web/src/reports/
  // createLedger.ts): created without a rebuild, then one `step()` per task.
  {
    let longest = 0
    let total = 0
    const [compileMs, sliced] = time(() => {
      const r = LiveSummary.create(def, scope, { rebuild: false })
      if (!r.ok) throw new Error(r.error.message.en)
      r.summary.startSlicedRebuild(10_000)
      return r.summary
    })
    for (;;) {
      const [ms, done] = time(() => sliced.step())
      longest = Math.max(longest, ms)
      total += ms
      if (done) break
    }
    const [tableMs] = time(() => {
      sliced.table()
      sliced.crossTab()
    })
    put('summaryLongestSliceMs', Math.max(longest, compileMs, tableMs))
    put('summarySlicedTotalMs', compileMs + total + tableMs)
  }

  // One remote edit → the summary's table and cross-tab updated.
  const target = rowIds[(run * 7919) % rowIds.length]!
  remoteSheet.setCell(target, c.served, 1000 + run)
  const update = Y.encodeStateAsUpdate(remote, Y.encodeStateVector(wb.doc))
  let applyMs = 0
  const off = wb.onChange((ch) => {
    const t0 = performance.now()
    live.applyChange(ch)
    live.table()
    live.crossTab()
    applyMs = performance.now() - t0
  })
  const [editMs] = time(() => Y.applyUpdate(wb.doc, update, 'remote'))
  off()
  put('remoteEditTotalMs', editMs)
  put('remoteEditSummaryMs', applyMs)
  const [floorEditMs] = time(() => floorGroupBy(plain))
  put('remoteEditFloorMs', floorEditMs)

  // Completeness matrix.
  const [complMs, matrix] = time(() => completenessOf(wb, settings))
  if (!matrix || matrix.overall.expected !== STATIONS * periods.length) throw new Error('matrix')
  put('completenessMs', complMs)
  const [complFloorMs] = time(() => {
    const seen = new Map<string, number>()
    for (const r of plain)
      seen.set(
        `${r.station}\u0001${r.period}`,
        r.served !== null && r.act !== null && r.workers !== null ? 3 : 0,
      )
    const perDistrict = new Map<string, number>()
    for (let s = 0; s < STATIONS; s++)
      for (const p of periods)
        if (seen.get(`${s}\u0001${p}`) === 3)
          perDistrict.set(
            `${s % DISTRICTS}\u0001${p}`,
            (perDistrict.get(`${s % DISTRICTS}\u0001${p}`) ?? 0) + 1,
          )
    return perDistrict
  })
  put('completenessFloorMs', complFloorMs)

  // A computed column over every row.
  const compiled = compileSource('ROUND(服务人次 / 持证社工人数, 1)', scope)
  if (!compiled.ok) throw new Error(compiled.error.message.en)
  const [computedMs] = time(() => {
    const ids = m.rowIds()
    const out = new Array(ids.length)
    for (let i = 0; i < ids.length; i++) out[i] = compiled.compiled.run(ids[i]!)
    return out
  })
  put('computedMs', computedMs)
  const [computedFloorMs] = time(() =>
    plain.map((r) => Math.round((r.served / r.workers) * 10) / 10),
  )
  put('computedFloorMs', computedFloorMs)
  console.log(
    `run ${run + 1}: cold ${coldMs.toFixed(0)} ms, edit ${applyMs.toFixed(1)} ms, completeness ${complMs.toFixed(0)} ms, computed ${computedMs.toFixed(0)} ms`,
  )
}
void st
void stationIds

const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, +median(v).toFixed(1)]))
const out = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`,
  loadAverage: +loadavg()[0]!.toFixed(2),
  rows: m.rowCount(),
  stations: STATIONS,
  months: periods.length,
  runs: RUNS,
  medians: med,
  raw: results,
}
const path = join(dirname(fileURLToPath(import.meta.url)), '../results/ledger.json')
writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`)
console.log(JSON.stringify(out.medians, null, 2))
