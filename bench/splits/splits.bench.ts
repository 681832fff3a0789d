/**
 * Splits bench: the modules split out of schema/values.ts, model/sheetIndex.ts and expr/evaluate.ts
 * (a refactor: no behaviour change) must not be slower than the code before the split. Both trees run
 * in one process — the working tree's shared/src and `--base`'s, exported with `git archive` into a
 * temporary directory that links this repository's node_modules (one yjs instance) — and each workload
 * alternates between them for `--rounds` rounds; the figures are medians, and now/base is the ratio.
 *
 *   npx tsx bench/splits/splits.bench.ts [--base a455f46] [--rounds 9] [--rows 50000]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: 'a455f46' },
    rounds: { type: 'string', default: '9' },
    rows: { type: 'string', default: '50000' },
  },
})
const ROUNDS = Number(args.rounds)
const ROWS = Number(args.rows)

// The ESM build of yjs, as shared/src resolves it (realpath → one instance for both trees).
const Y = await import(join(REPO, 'shared/node_modules/yjs/dist/yjs.mjs'))

const baseDir = mkdtempSync(join(os.tmpdir(), 'splits-bench-'))
const archive = execFileSync('git', ['archive', args.base, 'shared/src', 'shared/package.json'], {
  cwd: REPO,
  maxBuffer: 256 * 1024 * 1024,
})
execFileSync('tar', ['-x', '-C', baseDir], { input: archive })
symlinkSync(join(REPO, 'node_modules'), join(baseDir, 'node_modules'))
symlinkSync(join(REPO, 'shared/node_modules'), join(baseDir, 'shared/node_modules'))

// biome-ignore lint/suspicious/noExplicitAny: two copies of the same API, loaded at run time
type Shared = any
const trees: Record<'base' | 'now', Shared> = {
  base: await import(join(baseDir, 'shared/src/index.ts')),
  now: await import(join(REPO, 'shared/src/index.ts')),
}

function rng(seed: number): () => number {
  let s = seed
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// what people type into ledger cells
const INPUTS = [
  '1,197',
  '276万元',
  '2024年5月24日',
  '63.7%',
  '约240人',
  '（１２３）',
  '2024/5/24',
  '是',
  '1.2万余人次',
  ' 12.037 ',
  '—',
  '2,760,000元',
]
const COLUMNS = [
  { type: 'number', format: {}, constraints: {} },
  { type: 'money', format: { unit: '万元' }, constraints: {} },
  { type: 'date', format: {}, constraints: {} },
  { type: 'percent', format: {}, constraints: {} },
  { type: 'boolean', format: {}, constraints: {} },
]

interface Fixture {
  update: Uint8Array
  sheetId: string
  name: string
  count: string
  money: string
}

function makeFixture(S: Shared): Fixture {
  const doc = new Y.Doc()
  doc.clientID = 1
  const wb = S.Workbook.create(doc, {
    title: 'bench',
    random: rng(7),
    author: { id: 'a', name: 'a' },
  })
  // sheet and column names the expression below reads
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const count = s.addColumn({ name: '服务人次', type: 'integer' })
  const money = s.addColumn({ name: '经费', type: 'money' })
  const rows = []
  for (let i = 0; i < ROWS; i++)
    rows.push({ [name]: `s${i}`, [count]: i % 997, [money]: (i % 313) / 10 })
  s.insertRows(rows)
  return { update: Y.encodeStateAsUpdate(doc), sheetId, name, count, money }
}

function open(S: Shared, F: Fixture) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, F.update)
  return S.Workbook.open(doc).workbook
}

let sink = 0
const WORKLOADS: Record<string, (S: Shared, F: Fixture) => void> = {
  [`values: parse + format ${INPUTS.length * 25}k inputs`]: (S) => {
    for (let i = 0; i < 25_000; i++)
      for (let k = 0; k < INPUTS.length; k++) {
        const c = COLUMNS[(i + k) % COLUMNS.length]
        const r = S.parseValue(INPUTS[k], c)
        if (r.ok) sink += S.formatValue(r.value, c).length
      }
  },
  [`sheet index: open ${ROWS} rows, read 3 cells each, 10k indexOf, 1k edits, 300 moves, 300 deletes`]:
    (S, F) => {
      const s = open(S, F).sheet(F.sheetId)
      const ids: string[] = [...s.index.orderedIds()]
      for (const id of ids) {
        sink += s.index.cell(id, F.count) ?? 0
        s.index.cell(id, F.money)
        s.index.cell(id, F.name)
      }
      const r = rng(9)
      const picks = Array.from({ length: 10_000 }, () => ids[Math.floor(r() * ids.length)])
      for (const id of picks) sink += s.index.indexOf(id)
      for (let i = 0; i < 1000; i++) s.setCell(picks[i], F.count, i)
      s.moveRows(picks.slice(1000, 1300), { after: ids[10] })
      s.deleteRows(picks.slice(2000, 2300))
    },
  [`expr: compile 1k times, run over ${ROWS} rows`]: (S, F) => {
    const wb = open(S, F)
    const scope = S.createWorkbookScopes(wb).scope(F.sheetId)
    // column names
    const source = 'ROUND(服务人次 * 2 + 经费 / 3, 1) + IF(服务人次 > 500, 1, 0)'
    let c = S.compileSource(source, scope)
    for (let i = 1; i < 1000; i++) c = S.compileSource(source, scope)
    for (const id of wb.sheet(F.sheetId).index.orderedIds()) {
      const r = c.compiled.run(id)
      if (r.ok) sink += r.value ?? 0
    }
  },
}

try {
  const fixtures = { base: makeFixture(trees.base), now: makeFixture(trees.now) }
  const times = new Map<string, { base: number[]; now: number[] }>()
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(WORKLOADS)) {
      const t = times.get(name) ?? { base: [], now: [] }
      times.set(name, t)
      for (const tree of round % 2 === 0
        ? (['base', 'now'] as const)
        : (['now', 'base'] as const)) {
        const t0 = performance.now()
        run(trees[tree], fixtures[tree])
        t[tree].push(performance.now() - t0)
      }
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? Number.NaN
  console.log(
    `base ${args.base}, ${ROUNDS} rounds, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  console.log('| workload | base (ms) | now (ms) | now/base |\n| --- | --- | --- | --- |')
  for (const [name, t] of times) {
    const b = median(t.base)
    const n = median(t.now)
    console.log(`| ${name} | ${b.toFixed(0)} | ${n.toFixed(0)} | ${(n / b).toFixed(2)} |`)
  }
  if (sink === 0) throw new Error('the workloads computed nothing')
} finally {
  rmSync(baseDir, { recursive: true, force: true })
}
