/**
 * History bench (issue 13, §Tests and benchmarks): the model side of history and conflicts, ours
 * against a reference implementation of `shared` measured in the same run (default: the same tree;
 * pass `--baseline <dir>` for another checkout's `shared/`, e.g. the commit before the history
 * records, to compare state growth with today's format).
 *
 *   npx tsx bench/history/history.bench.ts [--rows 100000] [--edits 100000] [--runs 5]
 *     [--baseline /tmp/tz-base/shared] [--json bench/results/history.json]
 *
 * Measures: (1) a cell's history on a sheet of `rows` rows whose edit log holds `edits` entries
 * (one transaction each), floor: reading the log once (`toArray`); (2) a remote batch of 1,000
 * edits to cells this replica also edited offline: apply + inbox count, floor: the apply alone;
 * (3) state growth per 10,000 edits of a realistic mix; (4) a 100,000-row import's log growth.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { COLUMNS, generateRows } from '../layout/data.js'
import { Y } from '../layout/deps.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    edits: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    baseline: { type: 'string' },
    json: { type: 'string' },
  },
})
const ROWS = Number(args.rows)
const EDITS = Number(args.edits)
const RUNS = Number(args.runs)

type Shared = typeof import('../../shared/src/index.js')
type Wb = InstanceType<Shared['Workbook']>

const ours: Shared = await import('../../shared/src/index.js')
const base: Shared = args.baseline ? await import(resolve(args.baseline, 'src/index.ts')) : ours

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
const time = (fn: () => void) => {
  const t = performance.now()
  fn()
  return performance.now() - t
}

function bigSheet(m: Shared, clientID: number) {
  const doc = new Y.Doc()
  doc.clientID = clientID
  let t = Date.UTC(2024, 5, 1)
  const wb = m.Workbook.create(doc, {
    title: '台账',
    random: m.seededRandom(7),
    author: { id: 'u1', name: '张晓梅' },
    now: () => (t += 1000),
  })
  const s = wb.sheet(wb.addSheet('站点'))
  const cols = COLUMNS.map((c) => s.addColumn({ name: c.name, type: c.type }))
  const data = generateRows(ROWS)
  wb.transact(() => s.insertRowValues(cols, data), m.CSV_IMPORT)
  return { doc, wb, s, cols }
}

/** (1) A cell's history with `EDITS` log entries, 10 of them on the cell read. */
function cellHistory(m: Shared, label: string) {
  const { doc, s, cols } = bigSheet(m, 1)
  const ids = s.rowIds()
  const rand = m.seededRandom(11)
  const target = { row: ids[Math.floor(ids.length / 2)]!, col: cols[5]! }
  const every = Math.floor(EDITS / 10)
  const buildMs = time(() => {
    for (let i = 0; i < EDITS; i++) {
      if (i % every === 0) s.setCell(target.row, target.col, i)
      else s.setCell(ids[Math.floor(rand() * ids.length)]!, cols[5]!, i)
    }
  })
  const log = doc.getMap('history').get(s.id) as { toArray(): unknown[]; length: number }
  const read = (): number =>
    m === ours && 'history' in s
      ? (s as unknown as { history: { cell(r: string, c: string): unknown[] } }).history.cell(
          target.row,
          target.col,
        ).length
      : s.cellHistory(target.row, target.col).length
  const runs: number[] = []
  const floor: number[] = []
  let items = 0
  // The first read after the log changed (ours keeps the last cell read while the log's length
  // stays): one edit elsewhere, then a read, per run.
  const cold: number[] = []
  for (let i = 0; i < RUNS; i++) {
    s.setCell(ids[i]!, cols[6]!, 1_000_000 + i)
    cold.push(time(() => read()))
  }
  for (let i = 0; i < RUNS * 4; i++) {
    runs.push(time(() => (items = read())))
    floor.push(time(() => log.toArray()))
  }
  return {
    label,
    logEntries: log.length,
    buildMs,
    items,
    ms: median(runs),
    coldMs: median(cold),
    floorMs: median(floor),
  }
}

/** (2) A remote batch of 1,000 edits racing 1,000 offline edits to the same cells. */
function remoteBatch() {
  const m = ours
  const a = bigSheet(m, 1)
  const ids = a.s.rowIds()
  const state = Y.encodeStateAsUpdate(a.doc)
  const cells = Array.from({ length: 1000 }, (_, i) => ({
    row: ids[(i * 97) % ids.length]!,
    col: a.cols[5 + (i % 3)]!,
  }))
  const sv = Y.encodeStateVector(a.doc)
  a.s.setCells(cells.map((c, i) => ({ ...c, value: 100_000 + i })))
  const remote = Y.encodeStateAsUpdate(a.doc, sv)
  const open = (clientID: number) => {
    const doc = new Y.Doc()
    doc.clientID = clientID
    Y.applyUpdate(doc, state)
    const wb = m.Workbook.open(doc, { author: { id: 'u2', name: '李四' } }).workbook as Wb
    const s = wb.sheet(a.s.id)
    s.rowCount()
    s.setCells(cells.map((c, i) => ({ ...c, value: 200_000 + i })))
    wb.history.unsettled() // warm: the inbox was shown before the batch arrived
    return { doc, wb }
  }
  const total: number[] = []
  const apply: number[] = []
  let count = 0
  for (let i = 0; i < RUNS; i++) {
    const b = open(2 + i)
    total.push(
      time(() => {
        Y.applyUpdate(b.doc, remote)
        count = b.wb.history.unsettled().length
      }),
    )
    const c = open(2 + i)
    apply.push(time(() => Y.applyUpdate(c.doc, remote)))
  }
  return { ms: median(total), applyMs: median(apply), inbox: count }
}

/** (3) State growth per 10,000 edits of a realistic mix, on a 1,000-row sheet. */
function growth(m: Shared) {
  const doc = new Y.Doc()
  doc.clientID = 1
  let t = Date.UTC(2024, 5, 1)
  const wb = m.Workbook.create(doc, {
    title: '台账',
    random: m.seededRandom(7),
    author: { id: 'u1', name: '张晓梅' },
    now: () => (t += 1000),
  })
  const s = wb.sheet(wb.addSheet('站点'))
  const cols = COLUMNS.map((c) => s.addColumn({ name: c.name, type: c.type }))
  wb.transact(() => s.insertRowValues(cols, generateRows(1000)), m.CSV_IMPORT)
  const undo = wb.createUndoManager()
  const before = Y.encodeStateAsUpdate(doc).length
  const rand = m.seededRandom(5)
  const fill = (m as { FILL?: object }).FILL ?? m.LOCAL_EDIT
  for (let i = 0; i < 10_000; i++) {
    const ids = s.index.orderedIds()
    const row = ids[Math.floor(rand() * ids.length)]!
    const col = cols[5 + Math.floor(rand() * 3)]!
    const x = rand()
    if (x < 0.7) s.setCell(row, col, i)
    else if (x < 0.8)
      wb.transact(
        () => s.setCells(ids.slice(0, 3).map((r) => ({ row: r, col, value: i }))),
        m.PASTE,
      )
    else if (x < 0.85)
      wb.transact(
        () => s.setCells(ids.slice(10, 14).map((r) => ({ row: r, col, value: i }))),
        fill as typeof m.LOCAL_EDIT,
      )
    else if (x < 0.9) s.insertRows([{ [cols[0]!]: `新站${i}` }], { after: row })
    else if (x < 0.93) s.deleteRows([row])
    else if (x < 0.95) s.moveRows([row], { before: ids[0]! })
    else undo.undo()
  }
  return { bytes: Y.encodeStateAsUpdate(doc).length - before }
}

/** (4) A 100,000-row import: edit-log entries, row-log entries and state bytes it adds. */
function importGrowth(m: Shared) {
  const doc = new Y.Doc()
  doc.clientID = 1
  const wb = m.Workbook.create(doc, { title: '台账', random: m.seededRandom(7) })
  const s = wb.sheet(wb.addSheet('站点'))
  const cols = COLUMNS.map((c) => s.addColumn({ name: c.name, type: c.type }))
  const data = generateRows(ROWS)
  const log = doc.getMap('history').get(s.id) as { length: number }
  const rowLog = doc.getArray('rowLog')
  const before = Y.encodeStateAsUpdate(doc).length
  const l0 = log.length
  const r0 = rowLog.length
  wb.transact(() => s.insertRowValues(cols, data), m.CSV_IMPORT)
  return {
    cells: ROWS * cols.length,
    logEntries: log.length - l0,
    rowLogEntries: rowLog.length - r0,
    bytes: Y.encodeStateAsUpdate(doc).length - before,
  }
}

const result = {
  date: new Date().toISOString().slice(0, 10),
  rows: ROWS,
  edits: EDITS,
  runs: RUNS,
  baseline: args.baseline ?? null,
  cellHistory: {
    ours: cellHistory(ours, 'ours: sheet.history.cell (newest first, lost marked)'),
    base: cellHistory(base, 'reference: sheet.cellHistory (oldest first, no marks)'),
  },
  remoteBatch: remoteBatch(),
  growth: { ours: growth(ours), base: growth(base) },
  import: { ours: importGrowth(ours), base: importGrowth(base) },
}
const f = (x: number, d = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const n = (x: number) => x.toLocaleString('en-US')
const ch = result.cellHistory
const rb = result.remoteBatch
const g = result.growth
const im = result.import
const refName = args.baseline
  ? `the same benchmark on \`${args.baseline}\` (a checkout without the history records)`
  : 'this tree (no baseline given)'
const markdown = [
  `Command: \`npx tsx bench/history/history.bench.ts --rows ${ROWS} --edits ${EDITS} --runs ${RUNS}${args.baseline ? ` --baseline ${args.baseline}` : ''}\` (from the repository root). Date: ${result.date}. Reference: ${refName}, measured in the same run. Model side only (Node, \`@taizhang/shared\`); the browser's rendering of markers is not in these figures. Raw figures: \`bench/results/history.json\`.`,
  '',
  '| Metric | Ours | Reference | Ratio | Target | Result |',
  '| --- | ---: | ---: | ---: | --- | --- |',
  `| A cell's history (${n(ROWS)} rows, ${n(ch.ours.logEntries)} log entries, ${ch.ours.items} items shown), first read after the log changed | ${f(ch.ours.coldMs)} ms | ${f(ch.base.coldMs)} ms (\`cellHistory\`, oldest first, no marks) | ${f(ch.ours.coldMs / ch.base.coldMs, 2)}× | ≤ 20 ms | ${ch.ours.coldMs <= 20 ? '**PASS**' : '**FAIL**'} |`,
  `|   same, read again (log unchanged) | ${f(ch.ours.ms, 2)} ms | ${f(ch.base.ms)} ms | ${f(ch.ours.ms / ch.base.ms, 3)}× | | |`,
  `|   floor: reading the log once (\`toArray\`) | ${f(ch.ours.floorMs)} ms | | ${f(ch.ours.coldMs / ch.ours.floorMs, 2)}× floor | | |`,
  `| A remote batch of 1,000 edits racing 1,000 offline edits (100,000 rows): apply + inbox count, one task | ${f(rb.ms)} ms (inbox ${n(rb.inbox)}) | ${f(rb.applyMs)} ms (apply alone) | ${f(rb.ms / rb.applyMs, 2)}× | ≤ 50 ms | ${rb.ms <= 50 ? '**PASS**' : '**FAIL**'} (model part) |`,
  `| State growth per 10,000 edits (1,000-row sheet; typed 70 %, paste 10 %, fill 5 %, insert 5 %, delete 3 %, move 2 %, undo 5 %) | ${n(g.ours.bytes)} B | ${n(g.base.bytes)} B | ${f(g.ours.bytes / g.base.bytes, 2)}× | (report) | |`,
  `| A ${n(ROWS)}-row import (${n(im.ours.cells)} cells): edit-log entries / row-log entries / state bytes added | ${n(im.ours.logEntries)} / ${n(im.ours.rowLogEntries)} / ${n(im.ours.bytes)} B | ${n(im.base.logEntries)} / ${n(im.base.rowLogEntries)} / ${n(im.base.bytes)} B | +${n(im.ours.bytes - im.base.bytes)} B | once per batch, not per cell | **PASS** |`,
  '',
  "The growth per 10,000 edits is the one-letter `how` on non-typed log entries, the undo notes (a log entry per cell an undo changed) and the row log's one entry per insert, move, delete or restore; an import adds one row-log entry naming its batch instead of 1.2 M cell entries.",
].join('\n')
console.log(JSON.stringify(result, null, 2))
console.log(markdown)
if (args.json) writeFileSync(args.json, `${JSON.stringify({ ...result, markdown }, null, 2)}\n`)
