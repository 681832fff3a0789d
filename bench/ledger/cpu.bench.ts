/**
 * issue 14 (ledger), A/B helper: CPU time (process.cpuUsage, user) of the three figures of
 * ledger.bench.ts — summary 区县 × 期间 from cold, completeness matrix, computed column — on the
 * same 100,800-row data, using only APIs that existed before the perf work, so it runs unchanged
 * against an older tree. CPU time is less disturbed than wall time by other processes on a shared
 * machine (not immune: they still share caches and cores).
 *
 *   git archive <commit> shared bench package.json | tar -x -C /tmp/ab-base   (+ node_modules links)
 *   cp bench/ledger/cpu.bench.ts /tmp/ab-base/bench/ledger/
 *   (cd /tmp/ab-base && TAG=base npx tsx bench/ledger/cpu.bench.ts); TAG=new npx tsx bench/ledger/cpu.bench.ts
 *
 * Prints medians and minimums of REPS (default 7) repetitions, in ms.
 */
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

const rand = seededRandom(14)
const wb = Workbook.create(new Y.Doc(), { title: 'b', random: rand })
const st = wb.sheet(wb.addSheet('站点'))
const name = st.addColumn({ name: '站点名称', type: 'text' })
const district = st.addColumn({ name: '区县', type: 'text' })
const stationIds = st.insertRows(
  Array.from({ length: 2800 }, (_, i) => ({ [name]: `站点${i}`, [district]: `区县${i % 120}` })),
)
const m = wb.sheet(wb.addSheet('指标'))
const station = m.addColumn({
  name: '站点',
  type: 'reference',
  format: { refSheet: st.id, refColumn: name },
})
const period = m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } })
const served = m.addColumn({ name: '服务人次', type: 'integer' })
const act = m.addColumn({ name: '服务活动', type: 'integer' })
const workers = m.addColumn({ name: '持证社工人数', type: 'integer' })
const periods = periodsBetween('2022-01', '2024-12', 'month')
const rows: Record<string, string | number>[] = []
for (let s = 0; s < 2800; s++)
  for (const p of periods)
    rows.push({
      [station]: stationIds[s],
      [period]: p,
      [served]: Math.floor(100 + rand() * 600),
      [act]: Math.floor(5 + rand() * 30),
      [workers]: 1 + Math.floor(rand() * 8),
    })
m.insertRows(rows)
const scope = createWorkbookScopes(wb).scope(m.id)!
const def = {
  title: 't',
  sheetId: m.id,
  groupBy: ['站点.区县', '期间'],
  measures: [{ kind: 'sum' as const, expr: '服务人次' }],
}
const settings: CompletenessSettings = {
  sheetId: m.id,
  stationColumn: station,
  periodColumn: period,
  granularity: 'month' as const,
  required: [served, act, workers],
  from: periods[0]!,
  to: periods.at(-1)!,
  districtColumn: district,
}
const cpu = (fn: () => void) => {
  const c = process.cpuUsage()
  fn()
  const d = process.cpuUsage(c)
  return d.user / 1000
}
const out: Record<string, number[]> = { cold: [], compl: [], computed: [] }
for (let i = 0; i < Number(process.env.REPS ?? 7); i++) {
  out.cold!.push(
    cpu(() => {
      const r = LiveSummary.create(def, scope)
      if (!r.ok) throw new Error(r.error.message.en)
      r.summary.table()
      r.summary.crossTab()
    }),
  )
  out.compl!.push(cpu(() => completenessOf(wb, settings)))
  const c = compileSource('ROUND(服务人次 / 持证社工人数, 1)', scope)
  if (!c.ok) throw new Error(c.error.message.en)
  out.computed!.push(
    cpu(() => {
      const ids = m.rowIds()
      const o = new Array(ids.length)
      for (let k = 0; k < ids.length; k++) o[k] = c.compiled.run(ids[k]!)
    }),
  )
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0)
const min = (xs: number[]) => Math.min(...xs).toFixed(0)
console.log(
  process.env.TAG ?? '',
  Object.entries(out)
    .map(([k, v]) => `${k} med ${med(v)} min ${min(v)}`)
    .join(' | '),
)
