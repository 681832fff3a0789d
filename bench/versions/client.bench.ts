/**
 * Versions in the client (issue 13 §3, versions-web): what 与当前比较 and 回滚到此版本 cost on the
 * 100,000-row sheet, model side (Node, `@taizhang/shared`; the grid's repaint is not included).
 *
 *   npx tsx bench/versions/client.bench.ts [--rows 100000] [--edits 1000] [--runs 5]
 *
 * Setup: a sheet of `rows` rows (bench/layout/data.ts columns and rows) imported in one
 * transaction; the version is its state then. The live workbook then gets `edits` cell edits (one
 * transaction each), 10 rows deleted, 10 inserted and 1 moved. Per run (a fresh copy of the live
 * doc each time, built outside the timing):
 *   reference: opening the version at all — Y.applyUpdate of its bytes into a new doc,
 *              Workbook.open and reading its row ids (what 打开 / 与当前比较 must do first);
 *   compare:   compareWorkbooks(version, live);
 *   rollback:  rollbackTo(version, live) — one transaction — and the size of its update (a
 *              change-feed listener attached, as the grid is in the app);
 *   checked:   the same rollback with every change put to the access checker first, as the
 *              版本 panel does (`allow`: an owner's `createAccessChecker(live).check`; the sheet has
 *              completeness settings, so each row's period and station are looked up for locks).
 * Prints medians and ratios to the reference, writes bench/results/versions-client.json.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { COLUMNS, generateRows } from '../layout/data.js'
import { Y } from '../layout/deps.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    edits: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
  },
})
const ROWS = Number(args.rows)
const EDITS = Number(args.edits)
const RUNS = Number(args.runs)

const m = await import('../../shared/src/index.js')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const time = (fn: () => void) => {
  const t = performance.now()
  fn()
  return performance.now() - t
}

// The workbook, then the version (its state after the import), then the live edits.
const doc = new Y.Doc()
doc.clientID = 1
const wb = m.Workbook.create(doc, {
  title: '台账',
  random: m.seededRandom(7),
  author: { id: 'u1', name: '张晓梅' },
})
const s = wb.sheet(wb.addSheet('站点'))
const cols = COLUMNS.map((c) => s.addColumn({ name: c.name, type: c.type }))
wb.transact(() => s.insertRowValues(cols, generateRows(ROWS)), m.CSV_IMPORT)
// Completeness settings (station, period): the checker then reads each row's lock state.
m.saveCompletenessSettings(wb, {
  sheetId: s.id,
  stationColumn: cols[COLUMNS.findIndex((c) => c.name === '站点名称')]!,
  periodColumn: cols[COLUMNS.findIndex((c) => c.name === '统计期')]!,
  granularity: 'month',
  required: [],
  from: '2024-01',
  to: '2024-12',
})
const versionBytes = Y.encodeStateAsUpdate(doc)

const rand = m.seededRandom(11)
const ids = s.rowIds()
const textCol = cols[COLUMNS.findIndex((c) => c.type === 'text')]!
for (let i = 0; i < EDITS; i++) s.setCell(ids[Math.floor(rand() * ids.length)]!, textCol, `改${i}`)
s.deleteRows(ids.slice(100, 110))
s.insertRows(
  Array.from({ length: 10 }, (_, i) => ({ [textCol]: `新增${i}` })),
  { after: ids[500]! },
)
s.moveRows([ids[1000]!], { before: ids[0]! })
const liveBytes = Y.encodeStateAsUpdate(doc)

const openVersion = () => {
  const d = new Y.Doc()
  Y.applyUpdate(d, versionBytes)
  const v = m.Workbook.open(d).workbook
  for (const info of v.listSheets()) v.sheet(info.id).rowIds()
  return v
}
const freshLive = () => {
  const d = new Y.Doc()
  Y.applyUpdate(d, liveBytes)
  const w = m.Workbook.open(d, { author: { id: 'u2', name: '李强' } }).workbook
  w.sheet(s.id).rowIds()
  return w
}

const refMs: number[] = []
const compareMs: number[] = []
const rollbackMs: number[] = []
const checkedMs: number[] = []
const checkerMs: number[] = []
let checkerCalls = 0
let refused = -1
let diffCount = 0
let updateBytes = 0
let cellsWritten = 0
for (let run = 0; run < RUNS; run++) {
  let version!: ReturnType<typeof openVersion>
  refMs.push(time(() => (version = openVersion())))
  const live = freshLive()
  compareMs.push(time(() => (diffCount = m.compareWorkbooks(version, live).count)))
  let bytes = 0
  const onUpdate = (u: Uint8Array) => (bytes += u.length)
  live.doc.on('update', onUpdate)
  // The app always listens to the change feed (the grid): so do both rollbacks here.
  const offFeed = live.onChange(() => {})
  rollbackMs.push(time(() => (cellsWritten = m.rollbackTo(version, live).cells)))
  live.doc.off('update', onUpdate)
  offFeed()
  updateBytes = bytes
  if (m.compareWorkbooks(version, live).count !== 0) throw new Error('rollback left differences')
  const live2 = freshLive()
  const offFeed2 = live2.onChange(() => {})
  const checker = m.createAccessChecker(live2)
  const owner = { role: m.Roles.owner, name: '张晓梅' }
  const now = Date.now()
  let calls = 0
  let inMs = 0
  const allow = (c: Parameters<typeof checker.check>[1]) => {
    calls++
    const t0 = performance.now()
    const ok = checker.check(owner, c, now).ok
    inMs += performance.now() - t0
    return ok
  }
  checkedMs.push(time(() => (refused = m.rollbackTo(version, live2, { allow }).refused)))
  checker.dispose()
  offFeed2()
  checkerMs.push(inMs)
  checkerCalls = calls
  if (m.compareWorkbooks(version, live2).count !== 0)
    throw new Error('checked rollback left differences')
}

const ref = median(refMs)
const out = {
  date: new Date().toISOString().slice(0, 10),
  rows: ROWS,
  edits: EDITS,
  runs: RUNS,
  differences: diffCount,
  referenceOpenVersionMs: ref,
  compareMs: median(compareMs),
  rollbackMs: median(rollbackMs),
  rollbackCheckedMs: median(checkedMs),
  rollbackCheckedRefused: refused,
  checkerMs: median(checkerMs),
  checkerCalls,
  rollbackCellsWritten: cellsWritten,
  rollbackUpdateBytes: updateBytes,
  versionBytes: versionBytes.length,
}
const f = (x: number) => x.toFixed(1)
console.log(`| Metric | Median of ${RUNS} | Ratio to reference |`)
console.log('| --- | ---: | ---: |')
console.log(
  `| reference: open the version (${versionBytes.length.toLocaleString('en')} B update → Workbook, row ids) | ${f(ref)} ms | 1.00× |`,
)
console.log(
  `| compareWorkbooks (${diffCount.toLocaleString('en')} differences) | ${f(out.compareMs)} ms | ${(out.compareMs / ref).toFixed(2)}× |`,
)
console.log(
  `| rollbackTo, one transaction (${cellsWritten.toLocaleString('en')} cells written, update ${updateBytes.toLocaleString('en')} B) | ${f(out.rollbackMs)} ms | ${(out.rollbackMs / ref).toFixed(2)}× |`,
)
console.log(
  `| rollbackTo through the access checker (owner, ${refused} refused; ${checkerCalls} checks taking ${f(out.checkerMs)} ms of it) | ${f(out.rollbackCheckedMs)} ms | ${(out.rollbackCheckedMs / ref).toFixed(2)}× |`,
)
writeFileSync(
  new URL('../results/versions-client.json', import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
)
