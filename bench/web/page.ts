/**
 * The page harness the web benchmarks share (reports, range, web, and any new bench/web/*.bench.ts):
 * build the app with the measurement hook, start the real `taizhang serve` on 127.0.0.1, launch
 * Debian's Chromium with a preset identity, open a new workbook, time main-thread long tasks, take
 * CPU profiles, and tear everything down.
 *
 * Typical use (one line each):
 *
 *   const bench = await openBenchPage({ name: 'reports', sourcemap: !!profile })
 *   await bench.openWorkbook('empty')          // a new workbook; waits for `window.__tzBench.session`
 *   await startLongTasks(bench.page); …; const tasks = await stopLongTasks(bench.page)
 *   await bench.close({ keepAssetsIn: profileDir })
 *
 * Benchmarks whose order differs (web.bench.ts seeds the server from a Node client before the
 * browser starts) use the parts: `buildBenchApp`, `startServer` and `launchBenchBrowser`.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWorkbook, launchChromium, type Server, startServer } from '../../web/e2e/harness.js'
import type { BrowserContext, Page } from '../../web/node_modules/playwright-core/index.js'

// playwright-core is a dependency of web/ (the browser tests); the root package does not list it.

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The middle value (the upper middle for an even count), as the web benches have reported it. */
export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The value after `--name` on the command line, or undefined when the flag is absent. */
export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}

/**
 * `vite build` of the web app with the measurement hook (`VITE_TZ_DEBUG=1`: `window.__tzBench`)
 * into `outDir` (never web/dist); `sourcemap` writes maps to read the minified frames of a profile.
 */
export function buildBenchApp(outDir: string, opts: { sourcemap?: boolean } = {}): void {
  execFileSync(
    'npx',
    [
      'vite',
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
      ...(opts.sourcemap ? ['--sourcemap'] : []),
    ],
    {
      cwd: REPO,
      env: { ...process.env, VITE_TZ_DEBUG: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
}

/**
 * Chromium at 1280 × 800 on the profile dir `profileDir`, with the app's identity preset to
 * `identityId` (named 测评) unless the profile has one, the bench's own `init` script (runs in
 * every page before the app), and its first page (page errors logged).
 */
export async function launchBenchBrowser(
  profileDir: string,
  opts: { identityId: string; extraArgs?: string[]; init?: () => void },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchChromium(profileDir, {
    viewport: { width: 1280, height: 800 },
    ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
  })
  // tsx (esbuild keepNames) wraps functions in `__name(...)`; functions we send to the page need it.
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f' })
  await context.addInitScript((id) => {
    if (!localStorage.getItem('taizhang.identity'))
      localStorage.setItem(
        'taizhang.identity',
        JSON.stringify({ id, name: '测评', color: '#2563eb' }),
      )
  }, opts.identityId)
  if (opts.init) await context.addInitScript(opts.init)
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (e) => console.error('pageerror:', e.message))
  return { context, page }
}

export interface BenchPage {
  /** The temporary directory holding the build, the server's data and the browser profile. */
  work: string
  webDir: string
  server: Server
  context: BrowserContext
  page: Page
  /** Creates a new workbook from the home page; resolves when the app's session is on the hook. */
  openWorkbook(kind: 'empty' | 'demo'): Promise<string>
  /** Closes the browser and the server and removes `work`; copies the build's assets first when asked. */
  close(opts?: { keepAssetsIn?: string }): Promise<void>
}

/**
 * Build + server + browser for a benchmark named `name` (temporary dir `tz-<name>-bench-*`, identity
 * `bench-<name>`). On a failure half-way, what was started is stopped again.
 */
export async function openBenchPage(opts: {
  name: string
  sourcemap?: boolean
  extraArgs?: string[]
}): Promise<BenchPage> {
  const work = mkdtempSync(join(tmpdir(), `tz-${opts.name}-bench-`))
  const webDir = join(work, 'web')
  let server: Server | undefined
  try {
    buildBenchApp(webDir, { sourcemap: opts.sourcemap ?? false })
    mkdirSync(join(work, 'data'))
    server = await startServer({ webDir, dataDir: join(work, 'data') })
    const started = server
    const { context, page } = await launchBenchBrowser(join(work, 'profile'), {
      identityId: `bench-${opts.name}`,
      ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
    })
    return {
      work,
      webDir,
      server: started,
      context,
      page,
      async openWorkbook(kind) {
        const id = await createWorkbook(page, started.origin, started.token, kind)
        await page.waitForFunction(
          () => !!(window as never as { __tzBench?: { session: unknown } }).__tzBench?.session,
        )
        return id
      },
      async close(closeOpts = {}) {
        try {
          await context.close()
          await started.stop()
          if (closeOpts.keepAssetsIn)
            cpSync(join(webDir, 'assets'), join(closeOpts.keepAssetsIn, 'assets'), {
              recursive: true,
            })
        } finally {
          rmSync(work, { recursive: true, force: true })
        }
      },
    }
  } catch (e) {
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
    throw e
  }
}

/**
 * Starts recording the page's main-thread long tasks (PerformanceObserver 'longtask', ≥ 50 ms) into
 * `window.__tzTasks`, and sets the performance mark `mark` when given; `stopLongTasks` reads them.
 */
export async function startLongTasks(page: Page, mark?: string): Promise<void> {
  await page.evaluate((m) => {
    const w = window as never as { __tzTasks: number[]; __tzObs: PerformanceObserver }
    w.__tzTasks = []
    w.__tzObs = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__tzTasks.push(e.duration)
    })
    w.__tzObs.observe({ type: 'longtask' })
    if (m) performance.mark(m)
  }, mark)
}

/** Waits `settleMs` for the last tasks to be reported, stops the observer, returns the durations. */
export async function stopLongTasks(page: Page, settleMs = 300): Promise<number[]> {
  return page.evaluate(async (ms) => {
    await new Promise((r) => setTimeout(r, ms))
    const w = window as never as { __tzTasks: number[]; __tzObs: PerformanceObserver }
    w.__tzObs.disconnect()
    return w.__tzTasks
  }, settleMs)
}

/** A sampling CPU profile (Chrome DevTools protocol) of the page; `stop` writes it to `file`. */
export interface CpuProfiler {
  start(): Promise<void>
  stop(file: string): Promise<void>
}

export async function makeCpuProfiler(
  context: BrowserContext,
  page: Page,
  intervalUs: number,
): Promise<CpuProfiler> {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs })
  return {
    async start() {
      await cdp.send('Profiler.start')
    },
    async stop(file) {
      const { profile } = await cdp.send('Profiler.stop')
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, JSON.stringify(profile))
    },
  }
}

/** Writes `data` as bench/results/<name>.json (pretty-printed, with a final newline). */
export function writeResult(name: string, data: unknown): void {
  mkdirSync(join(REPO, 'bench/results'), { recursive: true })
  writeFileSync(join(REPO, `bench/results/${name}.json`), `${JSON.stringify(data, null, 2)}\n`)
}

/** Runs a bench's `main` and exits with 0, or prints the error and exits with 1. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}
