/**
 * `npm run bench`: runs every benchmark of the project, one after another (so they don't disturb
 * each other), and rewrites BENCHMARKS.md from their results: layout (issue 2), server against
 * @y/websocket-server 0.1.1 and a bare relay (issue 3), web app in Chromium (issue 4), CSV in Node
 * and Chromium (issue 5), and a chaos soak summary (issue 6).
 *
 *   npm run bench                       # everything, default sizes
 *   npm run bench -- --only layout,csv  # some sections; the others keep their last text
 *   npm run bench -- --only chaos-full --soak-full   # the full soak (20 × 5,000 ops ×
 *                                                    # 20 kills), its own section; 40–60 min here
 *
 * Every benchmark reports medians of several runs and its reference measured in the same run.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(REPO, 'BENCHMARKS.md')
const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null
const soakFull = args.includes('--soak-full')
if (soakFull) {
  const { ensureHeap } = await import('./chaos/heap.js')
  const { SOAK_HEAP_MB } = await import('./chaos/soak.js')
  ensureHeap(SOAK_HEAP_MB)
}

interface Section {
  id: string
  title: string
  /** How to rerun this section alone. */
  command: string
  /** Runs only when this is true (else the section keeps its last text). */
  enabled?: boolean
  run(): Promise<string>
}

function tsx(script: string, scriptArgs: string[]): void {
  execFileSync(join(REPO, 'node_modules/.bin/tsx'), [script, ...scriptArgs], {
    cwd: REPO,
    stdio: 'inherit',
    timeout: 60 * 60 * 1000,
  })
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO, path), 'utf8')) as Record<string, unknown>
}

const fmt = (x: unknown, d = 0) =>
  typeof x === 'number'
    ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
    : '—'

function csvMarkdown(): string {
  const j = readJson('bench/results/csv.json')
  type Summary = Record<string, number>
  const summary = (o: unknown, enc: string): Summary =>
    ((o as Record<string, { summary?: Summary }> | undefined)?.[enc]?.summary ?? {}) as Summary
  const chromium = j.chromium as Record<string, unknown> | undefined
  const cu = summary(chromium, 'utf-8')
  const cg = summary(chromium, 'gb18030')
  const nu = summary(j, 'utf-8')
  const ng = summary(j, 'gb18030')
  const lines = [
    "Commands: `npx tsx bench/csv/browser.bench.ts --rows 100000 --runs 3` (Chromium: the issue's",
    'setting) and `npx tsx bench/csv/csv.bench.ts --rows 100000 --runs 3` (Node, the CLI path).',
    '100,000 × 12 rows of Chinese ledger text and numbers; medians of 3 runs; papaparse alone on the',
    'same bytes is the reference measured in the same run. Memory is heap growth in Chromium and RSS',
    'growth in Node. Raw figures: `bench/results/csv.json`.',
    '',
    '| | Chromium UTF-8 | Chromium GB18030 | Node UTF-8 | Node GB18030 | Target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ]
  const row = (label: string, ck: string, nk: string, d: number, target = '') =>
    lines.push(
      `| ${label} | ${fmt(cu[ck], d)} | ${fmt(cg[ck], d)} | ${fmt(nu[nk], d)} | ${fmt(ng[nk], d)} | ${target} |`,
    )
  row('File (MB)', 'fileMB', 'fileMB', 2)
  row('papaparse alone (ms)', 'papaparseAloneMs', 'papaparseAloneMs', 0)
  row('Decode + parse (ms)', 'decodeParseMs', 'decodeParseMs', 0)
  row('Plan: map, convert, check (ms)', 'planMs', 'planMs', 0)
  row('Apply: one transaction (ms)', 'applyMs', 'applyMs', 0)
  row('Import total (ms)', 'importTotalMs', 'importTotalMs', 0, '≤ 2,000 ms')
  row('Import total ÷ papaparse alone', 'importRatio', 'importRatio', 2, '≤ 2.5×')
  row('Peak memory ÷ file size', 'importHeapRatio', 'peakMemoryRatio', 2, '≤ 4×')
  row(
    'papaparse alone: peak memory ÷ file size',
    'papaparseHeapRatio',
    'papaparsePeakMemoryRatio',
    2,
  )
  row('Export (ms)', 'exportMs', 'exportMs', 0)
  row('papaparse unparse (ms)', 'papaparseUnparseMs', 'papaparseUnparseMs', 0)
  row('Export ÷ unparse', 'exportRatio', 'exportRatio', 2, '≤ 2×')
  const app = (j.app as { median?: Record<string, number>; runs?: unknown[] } | undefined) ?? {}
  const a = app.median ?? {}
  const verdict = (x: unknown) => (typeof x === 'number' && x <= 200 ? '**PASS**' : 'FAIL')
  lines.push(
    '',
    `The app as a user drives it (\`npx tsx bench/csv/appImport.bench.ts --rows 100000 --runs 3\`;`,
    `median of ${app.runs?.length ?? 0} runs): the built app on the real \`taizhang serve\`, a`,
    `${fmt((a.fileBytes ?? 0) / 1e6, 1)} MB GB18030 file picked in the import dialog of a new workbook, 检查 then`,
    '导入; main-thread long tasks from a PerformanceObserver.',
    '',
    '| | Value | Target |',
    '| --- | ---: | --- |',
    `| Read + plan in the worker, file pick to review (ms) | ${fmt(a.readPlanMs)} | |`,
    `| Longest main-thread task meanwhile (ms) | ${fmt(a.longestTaskReadPlanMs)} | ≤ 200 ms ${verdict(a.longestTaskReadPlanMs)} |`,
    `| Apply, click to rows on screen (ms) | ${fmt(a.applyToRowsMs)} | |`,
    `| Longest main-thread task of the apply (ms) | ${fmt(a.longestTaskApplyMs)} | ≤ 200 ms ${verdict(a.longestTaskApplyMs)} |`,
  )
  return lines.join('\n')
}

const sections: Section[] = [
  {
    id: 'layout',
    title: 'Layout (issue 2)',
    command: 'npx tsx bench/layout/layout.bench.ts --rows 100000 --runs 3',
    async run() {
      const { runLayoutBench } = await import('./layout/layout.bench.js')
      return (await runLayoutBench({ rows: 100_000, runs: 3 })).markdown
    },
  },
  {
    id: 'server',
    title: 'Sync server (issue 3)',
    command: 'npx tsx bench/server/server.bench.ts',
    async run() {
      tsx('bench/server/server.bench.ts', [])
      return String(readJson('bench/results/server.json').markdown ?? '')
    },
  },
  {
    id: 'web',
    title: 'Web (issue 4)',
    command: 'npx tsx bench/web/web.bench.ts --rows 100000 --runs 5',
    async run() {
      const { runWebBench } = await import('./web/web.bench.js')
      const { markdown, results } = await runWebBench({ rows: 100_000, runs: 5 })
      writeFileSync('bench/results/web.json', JSON.stringify(results, null, 2) + '\n')
      return markdown
    },
  },
  {
    id: 'csv',
    title: 'CSV import and export (issue 5)',
    command: 'npm run bench -- --only csv',
    async run() {
      tsx('bench/csv/csv.bench.ts', ['--rows', '100000', '--runs', '3'])
      tsx('bench/csv/browser.bench.ts', ['--rows', '100000', '--runs', '3'])
      // The app bench serves the production build.
      execFileSync(join(REPO, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
        cwd: REPO,
        stdio: 'inherit',
      })
      tsx('bench/csv/appImport.bench.ts', ['--rows', '100000', '--runs', '3'])
      return csvMarkdown()
    },
  },
  {
    id: 'chaos',
    title: 'Chaos soak (issue 6)',
    command:
      'npx tsx bench/chaos/soak.ts --clients 20 --ops 500 --kills 20 --cuts 20 --seed 20261122',
    async run() {
      const { runSoak } = await import('./chaos/soak.js')
      const size = { clients: 20, ops: 500, kills: 20, cuts: 20 }
      return (await runSoak({ ...size, seed: 20261122 })).markdown
    },
  },
  // cluster (issue #17): LevelDB vs PostgreSQL + Redis, 1 and 3 servers.
  {
    id: 'cluster',
    title: 'Cluster: PostgreSQL + Redis, 1 vs 3 servers (issue 17)',
    command: 'npx tsx bench/cluster/cluster.bench.ts',
    async run() {
      tsx('bench/cluster/cluster.bench.ts', [])
      return String(readJson('bench/results/cluster.json').markdown ?? '')
    },
  },
  // history (issue 13): a cell's history, a remote batch's inbox, state growth of the records.
  {
    id: 'history',
    title: 'History and conflicts (issue 13)',
    command: 'npx tsx bench/history/history.bench.ts',
    async run() {
      tsx('bench/history/history.bench.ts', ['--json', 'bench/results/history.json'])
      return String(readJson('bench/results/history.json').markdown ?? '')
    },
  },
  // versions (issue 13 §3): bytes per version, capture CPU and event-loop delay, fan-out during captures
  {
    id: 'versions',
    title: 'Versions (issue 13 §3)',
    command: 'npx tsx bench/versions/versions.bench.ts',
    async run() {
      tsx('bench/versions/versions.bench.ts', [])
      return String(readJson('bench/results/versions.json').markdown ?? '')
    },
  },
  {
    // The soak size; too long for every `npm run bench`, so only with --soak-full, and in
    // a section of its own so that the reduced run above never overwrites its figures.
    id: 'chaos-full',
    title: 'Chaos soak at full size (issue 6)',
    command: 'npm run bench -- --only chaos-full --soak-full',
    enabled: soakFull,
    async run() {
      const { runSoak } = await import('./chaos/soak.js')
      return (await runSoak({ clients: 20, ops: 5000, kills: 20, seed: 20261122 })).markdown
    },
  },
]

/** The current text of each `## ` section, to keep sections that were not rerun. */
function previousSections(): Map<string, string> {
  const out = new Map<string, string>()
  if (!existsSync(OUT)) return out
  const parts = readFileSync(OUT, 'utf8').split(/^## /m).slice(1)
  for (const p of parts) {
    const nl = p.indexOf('\n')
    out.set(p.slice(0, nl).trim(), p.slice(nl + 1).trim())
  }
  return out
}

/** A section's body without its own `## ` heading, if the benchmark included one. */
function body(markdown: string): string {
  return markdown.replace(/^## [^\n]*\n/, '').trim()
}

async function main(): Promise<void> {
  const previous = previousSections()
  const date = new Date().toISOString().slice(0, 10)
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform} ${process.arch}`
  const out: string[] = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench\` (\`tsx bench/run.ts\`) on ${date}. Machine: ${machine}; load average at start ${loadavg()[0]!.toFixed(2)}.`,
    'Each figure is a median of several runs with its reference measured in the same run; ratios are',
    'ours ÷ reference. These machines are noisy: compare ratios, and rerun before drawing conclusions.',
    'A section that was not rerun keeps the text (and date) of its last run.',
    '',
  ]
  let failed = false
  for (const s of sections) {
    let text = previous.get(s.title) ?? '_Not run yet._'
    if ((!only || only.includes(s.id)) && s.enabled !== false) {
      console.log(`\n=== ${s.title} ===`)
      try {
        text = body(await s.run())
        if (!/Command/.test(text.slice(0, 400))) text = `Command: \`${s.command}\`.\n\n${text}`
      } catch (e) {
        failed = true
        text = `**This run failed:** ${String(e).slice(0, 500)}\n\nPrevious result:\n\n${previous.get(s.title) ?? '(none)'}`
      }
    }
    out.push(`## ${s.title}`, '', text, '')
  }
  writeFileSync(OUT, out.join('\n'))
  console.log(`\nwrote ${OUT}`)
  if (failed) process.exit(1)
}

await main()
