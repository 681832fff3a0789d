/**
 * Layout bench (issue 2, §3): the naive layout (A), the chosen layout through the real shared API
 * (B) and plain references (C: a JS array-of-arrays for heap, the CSV bytes for size), side by
 * side in one run, on deterministic realistic rows.
 *
 *   npx tsx bench/layout/layout.bench.ts [--rows 100000] [--runs 3] [--cpu-prof] [--no-md]
 *
 * Every measurement runs in a fresh child process (`node --expose-gc` with tsx's loader), so heap
 * figures start from the same baseline; each metric is the median over `runs`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { COLUMNS, createRandom, editValue, generateRows } from './data.js'
import { type CellValue, Papa, Workbook, Y, type YDoc } from './deps.js'
import {
  naiveDeleteRows,
  naiveInsertRows,
  naiveOrderedIds,
  naiveRows,
  naiveSetCell,
} from './naive.js'

const SELF = fileURLToPath(import.meta.url)
const REPO_ROOT = join(dirname(SELF), '..', '..')
const RESULTS_FILE = join(REPO_ROOT, 'bench', 'results', 'layout.json')
const BENCHMARKS_FILE = join(REPO_ROOT, 'BENCHMARKS.md')
const SECTION_TITLE = '## Layout (issue 2)'
const RESULT_MARKER = '@@layout-result '

const DATA_SEED = 20240601
const ID_SEED = 7
const EDIT_COUNT = 10_000
const EDITED_CELLS = 10
const MAX_DELETES = 10_000
/** Column positions (in COLUMNS) of the 10 edited cells: counts, money, percent and text. */
const EDIT_COLUMNS = [5, 7, 8, 6, 0, 5, 7, 8, 6, 0]
const AUTHOR = { id: 'u-zhang', name: '张晓梅' }
const START_MS = Date.UTC(2024, 5, 1)

type Layout = 'naive' | 'chosen'

/** What one run measures for layout A or B. */
interface LayoutRun {
  insertMs: number
  stateBytes: number
  stateV2Bytes: number
  /** Apply the stored update to a fresh doc (and for B, open the workbook and count rows). */
  loadMs: number
  /** The part of `loadMs` spent in `Y.applyUpdate`. */
  applyMs: number
  /** heapUsed after load and gc, minus the same process's heapUsed before load. */
  heapBytes: number
  readAllMs: number
  editUpdateBytes: number
  editsMs: number
  editsStateBytes: number
  editsGrowthBytes: number
  deleteMs: number
  deleteGrowthBytes: number
  deleteUpdateBytes: number
}

interface PlainRun {
  heapBytes: number
  readAllMs: number
  csvBytes: number
}

interface RunResult {
  naive: LayoutRun
  chosen: LayoutRun
  plain: PlainRun
}

// ---- child side -------------------------------------------------------------------------------

/** Keeps measured structures alive until the heap has been read. */
const retained: unknown[] = []

function settledHeap(): number {
  const gc = globalThis.gc
  if (!gc) throw new Error('run the child with --expose-gc')
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}

function newIdSource(seed: number, length: number): () => string {
  const rand = createRandom(seed)
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  return () => {
    let s = ''
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(rand() * 62)]
    return s
  }
}

/** The naive layout's column ids (8 characters, like the chosen layout's). */
function naiveColumnIds(): string[] {
  const next = newIdSource(ID_SEED + 1, 8)
  return COLUMNS.map(() => next())
}

function workbookOptions(seed: number) {
  let tick = 0
  return { random: createRandom(seed), now: () => START_MS + 1000 * tick++, author: AUTHOR }
}

function stateSize(doc: YDoc): number {
  return Y.encodeStateAsUpdate(doc).byteLength
}

function childBuild(layout: Layout, rows: number, file: string): Partial<LayoutRun> {
  const data = generateRows(rows, DATA_SEED)
  const doc = new Y.Doc()
  let insertMs: number
  if (layout === 'naive') {
    const colIds = naiveColumnIds()
    const nextRowId = newIdSource(ID_SEED, 10)
    const t0 = performance.now()
    naiveInsertRows(doc, colIds, data, nextRowId)
    insertMs = performance.now() - t0
  } else {
    const wb = Workbook.create(doc, { title: '杨浦区社工站月报台账', ...workbookOptions(ID_SEED) })
    const sheet = wb.sheet(wb.addSheet('站点月报'))
    const colIds = COLUMNS.map((c) => sheet.addColumn({ name: c.name, type: c.type }))
    // Building the records is the importer's job (parsing); the bench times the insert itself.
    const records = data.map((values) => {
      const rec: Record<string, CellValue> = {}
      for (let c = 0; c < colIds.length; c++) rec[colIds[c]!] = values[c] ?? null
      return rec
    })
    const t0 = performance.now()
    sheet.insertRows(records)
    insertMs = performance.now() - t0
  }
  const update = Y.encodeStateAsUpdate(doc)
  writeFileSync(file, update)
  return {
    insertMs,
    stateBytes: update.byteLength,
    stateV2Bytes: Y.encodeStateAsUpdateV2(doc).byteLength,
  }
}

/** The layout-specific operations the load child needs after opening. */
interface Opened {
  rowCount(): number
  orderedIds(): string[]
  colIds: string[]
  readAll(): number
  setCell(row: string, col: string, v: CellValue): void
  deleteRows(ids: string[]): void
}

function openNaive(doc: YDoc): Opened {
  const colIds = naiveColumnIds()
  return {
    colIds,
    rowCount: () => naiveRows(doc).size,
    orderedIds: () => naiveOrderedIds(doc),
    readAll: () => {
      const map = naiveRows(doc)
      let n = 0
      for (const id of naiveOrderedIds(doc)) {
        const row = map.get(id)!
        for (const c of colIds) if (row.get(c) != null) n++
      }
      return n
    },
    setCell: (row, col, v) => naiveSetCell(doc, row, col, v),
    deleteRows: (ids) => naiveDeleteRows(doc, ids),
  }
}

function openChosen(doc: YDoc): Opened {
  const { workbook } = Workbook.open(doc, workbookOptions(ID_SEED + 2))
  const sheet = workbook.sheet(workbook.listSheets()[0]!.id)
  const colIds = sheet.columns().map((c) => c.id)
  retained.push(workbook, sheet)
  return {
    colIds,
    rowCount: () => sheet.rowCount(),
    orderedIds: () => sheet.rowIds(),
    readAll: () => {
      let n = 0
      for (const row of sheet.readRows()) for (const c of colIds) if (row.cells[c] != null) n++
      return n
    },
    setCell: (row, col, v) => sheet.setCell(row, col, v),
    deleteRows: (ids) => sheet.deleteRows(ids),
  }
}

function childLoad(layout: Layout, rows: number, file: string): Partial<LayoutRun> {
  let update: Uint8Array | null = readFileSync(file)
  const base = settledHeap()

  const t0 = performance.now()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  const applyMs = performance.now() - t0
  const opened = layout === 'naive' ? openNaive(doc) : openChosen(doc)
  const count = opened.rowCount()
  const loadMs = performance.now() - t0
  if (count !== rows) throw new Error(`${layout}: loaded ${count} rows, expected ${rows}`)
  update = null
  retained.push(doc)
  const heapBytes = settledHeap() - base

  const t1 = performance.now()
  const cells = opened.readAll()
  const readAllMs = performance.now() - t1
  if (cells !== rows * COLUMNS.length) throw new Error(`${layout}: read ${cells} cells`)

  let lastUpdate = 0
  doc.on('update', (u: Uint8Array) => {
    lastUpdate = u.byteLength
  })
  const ids = opened.orderedIds()
  const col = (k: number) => opened.colIds[EDIT_COLUMNS[k]!]!
  const type = (k: number) => COLUMNS[EDIT_COLUMNS[k]!]!.type
  opened.setCell(ids[Math.floor(rows / 2)]!, opened.colIds[5]!, 4321)
  const editUpdateBytes = lastUpdate

  const targets = Array.from({ length: EDITED_CELLS }, (_, k) => ids[(k * 7919 + 13) % rows]!)
  const beforeEdits = stateSize(doc)
  const t2 = performance.now()
  for (let i = 0; i < EDIT_COUNT; i++) {
    const k = i % EDITED_CELLS
    opened.setCell(targets[k]!, col(k), editValue(type(k), i + 1))
  }
  const editsMs = performance.now() - t2
  const editsStateBytes = stateSize(doc)

  const deleteCount = Math.min(MAX_DELETES, Math.floor(rows / 10))
  const doomed = ids.filter((_, i) => i % 10 === 0).slice(0, deleteCount)
  const t3 = performance.now()
  opened.deleteRows(doomed)
  const left = opened.rowCount()
  const deleteMs = performance.now() - t3
  if (left !== rows - deleteCount) throw new Error(`${layout}: ${left} rows left after delete`)
  const deleteUpdateBytes = lastUpdate
  const afterDelete = stateSize(doc)

  return {
    loadMs,
    applyMs,
    heapBytes,
    readAllMs,
    editUpdateBytes,
    editsMs,
    editsStateBytes,
    editsGrowthBytes: editsStateBytes - beforeEdits,
    deleteMs,
    deleteGrowthBytes: afterDelete - editsStateBytes,
    deleteUpdateBytes,
  }
}

/**
 * In its own frame so that the generator's output is garbage once it returns (a dead temporary in
 * the caller's frame stays reachable for V8's GC and added 21 MB to the reference).
 */
function freshTable(rows: number): CellValue[][] {
  return structuredClone(generateRows(rows, DATA_SEED))
}

function childPlain(rows: number): PlainRun {
  const base = settledHeap()
  // structuredClone gives every cell its own flat string and exact-sized arrays, as decoded data
  // has: the generator shares station strings between rows (21 MB at 100k rows, too kind), and a
  // JSON round trip inflates V8's strings and arrays (71 MB, too harsh).
  let table: CellValue[][] | null = freshTable(rows)
  const heapBytes = settledHeap() - base
  const t0 = performance.now()
  let n = 0
  for (const row of table!) for (let c = 0; c < COLUMNS.length; c++) if (row[c] != null) n++
  const readAllMs = performance.now() - t0
  if (n !== rows * COLUMNS.length) throw new Error(`plain: read ${n} cells`)
  const csv = Papa.unparse({ fields: COLUMNS.map((c) => c.name), data: table! })
  table = null
  return { heapBytes, readAllMs, csvBytes: Buffer.byteLength(csv, 'utf8') }
}

function runChild(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      child: { type: 'string' },
      layout: { type: 'string' },
      rows: { type: 'string' },
      file: { type: 'string' },
    },
  })
  const rows = Number(values.rows)
  const layout = values.layout as Layout
  const file = values.file ?? ''
  let out: unknown
  switch (values.child) {
    case 'plain':
      out = childPlain(rows)
      break
    case 'build':
      out = childBuild(layout, rows, file)
      break
    case 'load':
      out = childLoad(layout, rows, file)
      break
    default:
      throw new Error(`unknown child mode ${values.child}`)
  }
  process.stdout.write(RESULT_MARKER + JSON.stringify(out) + '\n')
}

// ---- parent side ------------------------------------------------------------------------------

interface SpawnOptions {
  cpuProfDir?: string
}

function spawnChild(args: string[], label: string, opts: SpawnOptions): Promise<unknown> {
  const nodeArgs = [
    // tsx's loader (`--require …preflight.cjs --import …loader.mjs`) so the child runs .ts too.
    ...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')),
    '--expose-gc',
    '--max-old-space-size=6144',
    ...(opts.cpuProfDir
      ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, `--cpu-prof-name=${label}.cpuprofile`]
      : []),
    SELF,
    ...args,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER))
      if (code !== 0 || !line) {
        reject(new Error(`child ${label} exited with ${code}:\n${stdout}`))
        return
      }
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)))
    })
  })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function medians<T extends object>(runs: T[]): T {
  const out: Record<string, number> = {}
  for (const key of Object.keys(runs[0]!)) {
    out[key] = median(runs.map((r) => (r as Record<string, number>)[key]!))
  }
  return out as T
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US')
const fmtMs = (n: number) => (n >= 100 ? fmtInt(n) : n.toFixed(1)) + ' ms'
const fmtMB = (n: number) => (n / 1e6).toFixed(2) + ' MB'
const fmtBytes = (n: number) => fmtInt(n) + ' B'
const fmtSignedMB = (n: number) => (n >= 0 ? '+' : '−') + fmtMB(Math.abs(n))
const fmtRatio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) + '×' : '—')

interface Target {
  name: string
  ratio: number
  limit: number
  pass: boolean
}

function machine() {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  }
}

function renderMarkdown(
  opts: { rows: number; runs: number },
  m: RunResult,
  targets: Target[],
  meta: { command: string; date: string; machine: ReturnType<typeof machine> },
): string {
  const { naive: a, chosen: b, plain: c } = m
  const deletes = Math.min(MAX_DELETES, Math.floor(opts.rows / 10))
  const result = (i: number) => (targets[i]!.pass ? '**PASS**' : '**FAIL**')
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  const lines = [
    SECTION_TITLE,
    '',
    `Command: \`${meta.command}\` (from the repository root). Date: ${meta.date}.`,
    `Machine: ${meta.machine.cores} cores (${meta.machine.cpuModel}), ` +
      `${meta.machine.totalMemoryGiB} GiB RAM, Node ${meta.machine.node}, ${meta.machine.platform}.`,
    '',
    `${fmtInt(opts.rows)} rows × ${COLUMNS.length} columns of seeded, realistic ledger data ` +
      '(station, district, address, operator, period, counts, 万元 money, percent, date, boolean, ' +
      `enum); CSV ${fmtMB(c.csvBytes)}. Each figure is the median of ${opts.runs} runs; every run ` +
      'builds, loads and measures in fresh `node --expose-gc` child processes.',
    '',
    '- **A, naive**: one Y.Map per row in a Y.Map of rows, a key per cell plus an order key.',
    '- **B, chosen**: the real `@taizhang/shared` API — row records `[rowId, orderKey, batchId, …values]` ' +
      'in a Y.Array (one item per insert batch), a `cells` overlay key per edited cell, an edit log, ' +
      'tombstones for deletes.',
    '- **C, reference**: a plain JS array-of-arrays of the same data (heap, read-all) and its CSV bytes ' +
      '(PapaParse `unparse`, size).',
    '',
    row(['Metric', 'A naive', 'B chosen', 'C reference', 'B ÷ A', 'B ÷ C', 'Target', 'Result']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---', '---']),
    row([
      `Bulk insert (${fmtInt(opts.rows)} rows, one call)`,
      fmtMs(a.insertMs),
      fmtMs(b.insertMs),
      '',
      fmtRatio(b.insertMs / a.insertMs),
      '',
      '',
      '',
    ]),
    row([
      'Encoded state (`encodeStateAsUpdate`) vs CSV bytes',
      fmtMB(a.stateBytes),
      fmtMB(b.stateBytes),
      fmtMB(c.csvBytes) + ' CSV',
      fmtRatio(b.stateBytes / a.stateBytes),
      fmtRatio(targets[2]!.ratio),
      'B ≤ 1.5× CSV',
      result(2),
    ]),
    row([
      'Cold load (apply update; B also opens the workbook and counts rows)',
      fmtMs(a.loadMs),
      fmtMs(b.loadMs),
      '',
      fmtRatio(targets[0]!.ratio),
      '',
      'B ≤ 0.25× A',
      result(0),
    ]),
    row([
      '  of which `Y.applyUpdate`',
      fmtMs(a.applyMs),
      fmtMs(b.applyMs),
      '',
      fmtRatio(b.applyMs / a.applyMs),
      '',
      '',
      '',
    ]),
    row([
      'Heap after load (heapUsed after gc, minus baseline)',
      fmtMB(a.heapBytes),
      fmtMB(b.heapBytes),
      fmtMB(c.heapBytes) + ' array-of-arrays',
      fmtRatio(b.heapBytes / a.heapBytes),
      fmtRatio(targets[1]!.ratio),
      'B ≤ 4× plain',
      result(1),
    ]),
    row([
      `Read all ${fmtInt(opts.rows * COLUMNS.length)} cells in row order`,
      fmtMs(a.readAllMs),
      fmtMs(b.readAllMs),
      fmtMs(c.readAllMs),
      fmtRatio(b.readAllMs / a.readAllMs),
      fmtRatio(b.readAllMs / c.readAllMs),
      '',
      '',
    ]),
    row([
      'Single-cell edit: update size',
      fmtBytes(a.editUpdateBytes),
      fmtBytes(b.editUpdateBytes),
      '',
      fmtRatio(b.editUpdateBytes / a.editUpdateBytes),
      '',
      '',
      '',
    ]),
    row([
      `State after ${fmtInt(EDIT_COUNT)} edits to the same ${EDITED_CELLS} cells (growth)`,
      `${fmtMB(a.editsStateBytes)} (${fmtSignedMB(a.editsGrowthBytes)})`,
      `${fmtMB(b.editsStateBytes)} (${fmtSignedMB(b.editsGrowthBytes)})`,
      '',
      fmtRatio(b.editsStateBytes / a.editsStateBytes),
      '',
      '',
      '',
    ]),
    row([
      `  time for those ${fmtInt(EDIT_COUNT)} edits (one transaction each)`,
      fmtMs(a.editsMs),
      fmtMs(b.editsMs),
      '',
      fmtRatio(b.editsMs / a.editsMs),
      '',
      '',
      '',
    ]),
    row([
      `Delete ${fmtInt(deletes)} rows (every 10th, one call): time`,
      fmtMs(a.deleteMs),
      fmtMs(b.deleteMs),
      '',
      fmtRatio(b.deleteMs / a.deleteMs),
      '',
      '',
      '',
    ]),
    row([
      `Delete ${fmtInt(deletes)} rows: state growth (update size)`,
      `${fmtSignedMB(a.deleteGrowthBytes)} (${fmtBytes(a.deleteUpdateBytes)})`,
      `${fmtSignedMB(b.deleteGrowthBytes)} (${fmtBytes(b.deleteUpdateBytes)})`,
      '',
      '',
      '',
      '',
      '',
    ]),
    '',
    `A's delete is a hard delete (the rows' contents are garbage-collected); B's is soft (a ` +
      "tombstone per row, restorable), so its state grows instead. B's edits also append to the " +
      'edit log (`history`), which is why its state grows more per edit. Raw per-run figures: ' +
      '`bench/results/layout.json`.',
  ]
  return lines.join('\n') + '\n'
}

/**
 * Runs the layout bench: `runs` rounds of fresh child processes, medians, targets, a markdown
 * section for BENCHMARKS.md and `bench/results/layout.json`.
 */
export async function runLayoutBench(opts: {
  rows: number
  runs: number
  cpuProfDir?: string
}): Promise<{ markdown: string; results: unknown }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'taizhang-layout-'))
  const runs: RunResult[] = []
  const rows = String(opts.rows)
  const spawnOpts = { cpuProfDir: opts.cpuProfDir }
  try {
    for (let r = 0; r < opts.runs; r++) {
      const log = (what: string) =>
        process.stderr.write(`layout bench run ${r + 1}/${opts.runs}: ${what}\n`)
      log('plain reference')
      const plain = (await spawnChild(
        ['--child', 'plain', '--rows', rows],
        `plain-${r}`,
        spawnOpts,
      )) as PlainRun
      const byLayout = {} as Record<Layout, LayoutRun>
      for (const layout of ['naive', 'chosen'] as const) {
        const file = join(dir, `${layout}.bin`)
        log(`${layout}: build`)
        const built = await spawnChild(
          ['--child', 'build', '--layout', layout, '--rows', rows, '--file', file],
          `build-${layout}-${r}`,
          spawnOpts,
        )
        log(`${layout}: load, read, edit, delete`)
        const loaded = await spawnChild(
          ['--child', 'load', '--layout', layout, '--rows', rows, '--file', file],
          `load-${layout}-${r}`,
          spawnOpts,
        )
        byLayout[layout] = { ...(built as object), ...(loaded as object) } as LayoutRun
      }
      runs.push({ naive: byLayout.naive, chosen: byLayout.chosen, plain })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const m: RunResult = {
    naive: medians(runs.map((r) => r.naive)),
    chosen: medians(runs.map((r) => r.chosen)),
    plain: medians(runs.map((r) => r.plain)),
  }
  const targets: Target[] = [
    { name: 'cold load B ≤ 0.25× A', ratio: m.chosen.loadMs / m.naive.loadMs, limit: 0.25 },
    {
      name: 'heap B ≤ 4× plain array-of-arrays',
      ratio: m.chosen.heapBytes / m.plain.heapBytes,
      limit: 4,
    },
    { name: 'state B ≤ 1.5× CSV bytes', ratio: m.chosen.stateBytes / m.plain.csvBytes, limit: 1.5 },
  ].map((t) => ({ ...t, pass: t.ratio <= t.limit }))
  const meta = {
    command: `npx tsx bench/layout/layout.bench.ts --rows ${opts.rows} --runs ${opts.runs}`,
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
  }
  const markdown = renderMarkdown(opts, m, targets, meta)
  const results = {
    ...meta,
    rows: opts.rows,
    columns: COLUMNS.length,
    runs: opts.runs,
    median: m,
    targets,
    perRun: runs,
  }
  await mkdir(dirname(RESULTS_FILE), { recursive: true })
  writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n')
  return { markdown, results }
}

/** Adds or replaces the `## Layout (issue 2)` section of BENCHMARKS.md, leaving others alone. */
export function writeBenchmarksSection(markdown: string, file = BENCHMARKS_FILE): void {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    text = '# Benchmarks\n'
  }
  const start = text.indexOf(SECTION_TITLE + '\n')
  if (start < 0) {
    writeFileSync(file, text.trimEnd() + '\n\n' + markdown)
    return
  }
  const next = text.indexOf('\n## ', start + SECTION_TITLE.length)
  const rest = next < 0 ? '' : '\n' + text.slice(next + 1)
  writeFileSync(file, text.slice(0, start) + markdown + rest)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      'cpu-prof': { type: 'boolean', default: false },
      'no-md': { type: 'boolean', default: false },
    },
  })
  const rows = Number(values.rows)
  const runs = Number(values.runs)
  if (!Number.isInteger(rows) || rows < 100) throw new Error('--rows must be an integer ≥ 100')
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer')
  const cpuProfDir = values['cpu-prof'] ? mkdtempSync(join(os.tmpdir(), 'layout-prof-')) : undefined
  const { markdown } = await runLayoutBench({ rows, runs, cpuProfDir })
  process.stdout.write('\n' + markdown)
  if (cpuProfDir) process.stderr.write(`CPU profiles in ${cpuProfDir}\n`)
  if (!values['no-md']) writeBenchmarksSection(markdown)
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === SELF
if (invokedDirectly) {
  const childAt = process.argv.indexOf('--child')
  if (childAt >= 0) runChild(process.argv.slice(2))
  else await main()
}
