/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Browser pages for the chaos harness: the real web app in Debian's Chromium (playwright-core, a
 * dependency of web/), on the same `taizhang serve` and workbook as the Node clients.
 *
 * The chaos pages run a build with the app's measurement hook (`VITE_TZ_DEBUG=1`, built into
 * .artifacts/chaos/web-debug and reused while web/src and shared/src are unchanged): it hands the
 * test the page's own session and AG Grid API, so a page's replica is read in full (model and grid
 * rows) rather than through the few rows the grid renders. The durability tests use web/dist.
 */
import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CELL_KEY_SEPARATOR, ROOT_HISTORY } from '../../shared/src/index.js'
import { cellSel, firstPage, launchChromium, waitSaved } from '../../web/e2e/harness.js'
import type { BrowserContext, Page } from '../../web/node_modules/playwright-core/index.js'
import type { CellWrite, OpRecord } from './client.js'
import { SHEET_ID } from './ops.js'
import { REPO } from './server.js'

export type { BrowserContext, Page }
export { cellSel }

export const ARTIFACTS = join(REPO, '.artifacts/chaos')
const run = promisify(execFile)
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

// ---- the debug build ------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else newest = Math.max(newest, statSync(p).mtimeMs)
    }
  }
  walk(dir)
  return newest
}

/** Builds the app with the debug hook into .artifacts/chaos/web-debug unless an up-to-date one exists. */
export async function ensureDebugBuild(
  log: (l: string) => void = () => undefined,
): Promise<string> {
  const out = join(ARTIFACTS, 'web-debug')
  const stampFile = join(ARTIFACTS, 'web-debug.stamp')
  const stamp = String(
    Math.max(
      newestMtime(join(REPO, 'web/src')),
      newestMtime(join(REPO, 'shared/src')),
      statSync(join(REPO, 'vite.config.ts')).mtimeMs,
      statSync(join(REPO, 'web/index.html')).mtimeMs,
    ),
  )
  if (
    existsSync(join(out, 'index.html')) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === stamp
  ) {
    return out
  }
  mkdirSync(ARTIFACTS, { recursive: true })
  const t0 = Date.now()
  await run('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: REPO,
    env: { ...process.env, VITE_TZ_DEBUG: '1' },
    timeout: 120_000,
  })
  writeFileSync(stampFile, stamp)
  log(`debug build in ${Date.now() - t0} ms`)
  return out
}

// ---- profiles -------------------------------------------------------------------------------

export interface Profile {
  name: string
  dir: string
  context: BrowserContext
  page: Page
}

export function newProfileDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `tz-chaos-${name}-`))
}

/** Launches Chromium on a persistent profile (IndexedDB and the service worker as for users). */
export async function launchProfile(
  name: string,
  dir: string,
  opts: { offline?: boolean; identity?: { name: string; color: string } } = {},
): Promise<Profile> {
  const context = await launchChromium(dir, {
    offline: opts.offline ?? false,
    // Background pages must keep their timers: both pages edit at once.
    extraArgs: ['--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
  })
  const page = await firstPage(context, name, opts.identity ?? { name, color: '#2563eb' }, 'chaos')
  return { name, dir, context, page }
}

/**
 * SIGKILLs the Chromium browser process of a profile (found by its --user-data-dir): no unload,
 * no flush, nothing runs. Returns the pid killed, or null.
 */
export function killChromium(profileDir: string): number | null {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    let cmd: string
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    } catch {
      continue
    }
    const args = cmd.split('\0')
    if (
      args.includes(`--user-data-dir=${profileDir}`) &&
      !args.some((a) => a.startsWith('--type='))
    ) {
      process.kill(Number(pid), 'SIGKILL')
      return Number(pid)
    }
  }
  return null
}

export async function closeProfile(p: Profile | null | undefined, removeDir = true): Promise<void> {
  if (!p) return
  await p.context.close().catch(() => undefined)
  if (removeDir) rmSync(p.dir, { recursive: true, force: true })
}

export async function shot(page: Page, file: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, file) }).catch(() => undefined)
}

export function workbookUrl(origin: string, workbook: string, token: string): string {
  return `${origin}/#/w/${encodeURIComponent(workbook)}?token=${encodeURIComponent(token)}`
}

export async function localSaveState(page: Page): Promise<string | null> {
  return page.evaluate(
    () => document.querySelector('[data-testid="local-save"]')?.getAttribute('data-state') ?? null,
  )
}

export async function badgeState(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-state') ?? null,
  )
}

export async function waitBadge(page: Page, states: string[], timeout: number): Promise<boolean> {
  try {
    await page.waitForFunction(
      (ss) =>
        ss.includes(
          document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-state') ?? '',
        ),
      states,
      { timeout, polling: 50 },
    )
    return true
  } catch {
    return false
  }
}

export async function waitLocalSaved(page: Page, timeout = 10_000): Promise<boolean> {
  try {
    await waitSaved(page, { timeout, polling: 20 })
    return true
  } catch {
    return false
  }
}

// ---- the debug hook (window.__tzBench) ------------------------------------------------------

/** Waits until the page's hook holds the open session and its grid. */
export async function waitHook(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const h = (window as unknown as { __tzBench?: { session: unknown; grid: unknown } }).__tzBench
      return !!h?.session && !!h.grid
    },
    undefined,
    { timeout, polling: 50 },
  )
}

export interface PageReplicaState {
  /** JSON of shared/src/test/randomOps.ts `snapshot()` of the page's workbook. */
  snap: string
  /** The grid's displayed rows and values equal the model's (checked in the page). */
  gridMatches: boolean
  gridProblem: string
  pendingStructs: boolean
  pendingDs: boolean
  clientID: number
  stateVector: [number, number][]
}

/**
 * The page's replica read from its own session (model) and AG Grid API (displayed rows, row data),
 * with the same shape as `snapshot()` in shared/src/test/randomOps.ts.
 */
export async function readPageReplica(page: Page): Promise<PageReplicaState> {
  return page.evaluate(() => {
    // Structural types of what the hook hands out (the app's own module instances).
    interface Col {
      id: string
    }
    interface Sheet {
      columns(): Col[]
      readRows(): Array<{ id: string; cells: Record<string, unknown> }>
      deletedRows(): Array<{ id: string }>
    }
    interface Hook {
      session: {
        workbook: { listSheets(): Array<{ id: string }>; sheet(id: string): Sheet }
        doc: {
          clientID: number
          store: {
            pendingStructs: unknown
            pendingDs: unknown
            clients: Map<number, Array<{ id: { clock: number }; length: number }>>
          }
        }
      }
      grid: {
        api: {
          getDisplayedRowCount(): number
          getDisplayedRowAtIndex(i: number): {
            data?: { id: string; cells: Record<string, unknown> }
          }
          getGridOption(k: string): unknown
        }
      }
    }
    const h = (window as unknown as { __tzBench: Hook }).__tzBench
    const wb = h.session.workbook
    const snap = wb.listSheets().map((info) => {
      const s = wb.sheet(info.id)
      const columns = s.columns()
      return {
        info,
        columns,
        rows: s.readRows().map((r) => [r.id, ...columns.map((c) => r.cells[c.id] ?? null)]),
        deleted: s
          .deletedRows()
          .map((d) => d.id)
          .sort(),
      }
    })
    // The grid shows one sheet: its displayed rows, in order, with the model's values.
    let gridProblem = ''
    const ctx = h.grid.api.getGridOption('context') as { sheetId?: string } | undefined
    const shown = snap.find((x) => x.info.id === ctx?.sheetId)
    if (!shown) gridProblem = `grid shows unknown sheet ${ctx?.sheetId}`
    else {
      const n = h.grid.api.getDisplayedRowCount()
      if (n !== shown.rows.length) gridProblem = `grid has ${n} rows, model ${shown.rows.length}`
      else {
        for (let i = 0; i < n && !gridProblem; i++) {
          const d = h.grid.api.getDisplayedRowAtIndex(i)?.data
          const want = shown.rows[i]!
          if (!d || d.id !== want[0]) {
            gridProblem = `grid row ${i} is ${d?.id}, model ${String(want[0])}`
            break
          }
          shown.columns.forEach((c, k) => {
            const got = d.cells[c.id] ?? null
            if (!gridProblem && JSON.stringify(got) !== JSON.stringify(want[k + 1])) {
              gridProblem = `grid ${d.id}/${c.id} = ${JSON.stringify(got)}, model ${JSON.stringify(want[k + 1])}`
            }
          })
        }
      }
    }
    const doc = h.session.doc
    const sv: [number, number][] = []
    for (const [client, structs] of doc.store.clients) {
      const last = structs[structs.length - 1]
      if (last) sv.push([client, last.id.clock + last.length])
    }
    return {
      snap: JSON.stringify(snap),
      gridMatches: gridProblem === '',
      gridProblem,
      pendingStructs: doc.store.pendingStructs !== null,
      pendingDs: doc.store.pendingDs !== null,
      clientID: doc.clientID,
      stateVector: sv,
    }
  })
}

/** The durable state vector the page last got from the server (kept in localStorage by the app). */
export async function pageDurable(page: Page, workbook: string): Promise<Map<number, number>> {
  const raw = await page.evaluate((k) => localStorage.getItem(k), `taizhang.wb.${workbook}.durable`)
  const m = new Map<number, number>()
  if (!raw) return m
  for (const e of JSON.parse(raw) as unknown[]) {
    if (Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'number') m.set(e[0], e[1])
  }
  return m
}

/** One page in the chaos run: its history log in the same shape as a Node client's. */
export class PageReplica {
  readonly ops: Array<OpRecord & { yClient: number }> = []
  readonly writes: CellWrite[] = []
  /** Typed edits the grid did not take (row deleted under the editor, cell scrolled away…). */
  uiMisses = 0
  /** Why typed edits were not taken (first words of the reason → count). */
  readonly uiMissReasons: Record<string, number> = {}
  uiEdits = 0
  hookEdits = 0
  offline = false
  private n = 0

  constructor(
    readonly index: number,
    public profile: Profile,
  ) {}

  get page(): Page {
    return this.profile.page
  }

  /** Marks ops whose (Yjs client, clock) the page's durable vector covers as acknowledged. */
  async refreshAcks(workbook: string): Promise<void> {
    const durable = await pageDurable(this.page, workbook)
    const now = Date.now()
    for (const op of this.ops) {
      if (op.ackedAt === null && (durable.get(op.yClient) ?? 0) >= op.clock) op.ackedAt = now
    }
  }

  allAcked(): boolean {
    return this.ops.every((o) => o.ackedAt !== null)
  }

  private record(kind: string, yClient: number, clock: number): OpRecord & { yClient: number } {
    const op = {
      client: this.index,
      opId: this.ops.length,
      kind,
      sentAt: Date.now(),
      ackedAt: null,
      clock,
      online: !this.offline,
      yClient,
    }
    this.ops.push(op)
    return op
  }

  /**
   * A cell typed through the real grid UI: click a rendered cell of a text column, Enter, type,
   * Enter. The value is unique, so the write is found in the page's model afterwards (with its
   * row, column and edit id). Returns false when the grid did not take it.
   */
  async typeEdit(rand: () => number): Promise<boolean> {
    const page = this.page
    const r0 = rand()
    const target = await page.evaluate(
      ({ r1, r2 }) => {
        const h = (
          window as unknown as {
            __tzBench: {
              session: {
                workbook: { sheet(id: string): { columns(): Array<{ id: string; type: string }> } }
              }
              grid: {
                api: {
                  getGridOption(k: string): unknown
                  getDisplayedRowCount(): number
                  ensureColumnVisible(id: string): void
                }
              }
            }
          }
        ).__tzBench
        const api = h.grid.api
        const sheetId = (api.getGridOption('context') as { sheetId: string }).sheetId
        // Text and integer columns: what is typed is the stored value (unique, so it is found).
        const cols = h.session.workbook
          .sheet(sheetId)
          .columns()
          .filter((c) => c.type === 'text' || c.type === 'integer')
        const n = Math.min(12, api.getDisplayedRowCount())
        if (n === 0 || cols.length === 0) return null
        const col = cols[Math.floor(r2 * cols.length)]!
        // Columns added by others can push it out of the viewport: scroll it into view.
        api.ensureColumnVisible(col.id)
        return { rowIndex: Math.floor(r1 * n), colId: col.id, integer: col.type === 'integer' }
      },
      { r1: rand(), r2: rand() },
    )
    const text = target?.integer
      ? String(900_000_000 + this.index * 1_000_000 + this.n++ * 1000 + Math.floor(r0 * 1000))
      : `p${this.index}-${this.n++}-${Math.floor(r0 * 1e6)}`
    const value: string | number = target?.integer ? Number(text) : text
    const miss = (why: string) => {
      this.uiMisses++
      this.uiMissReasons[why] = (this.uiMissReasons[why] ?? 0) + 1
      return false
    }
    if (!target) return miss('no text or integer column')
    try {
      await page.locator(cellSel(target.rowIndex, target.colId)).click({ timeout: 2000 })
      await page.keyboard.press('Enter')
      const editor = page.locator('.tz-editor')
      await editor.waitFor({ timeout: 2000 })
      await editor.fill(text, { timeout: 2000 })
      await page.keyboard.press('Enter')
      await editor.waitFor({ state: 'detached', timeout: 2000 })
    } catch (e) {
      await page.keyboard.press('Escape').catch(() => undefined)
      return miss(`grid: ${String(e).split('\n')[0]!.slice(0, 80)}`)
    }
    const found = await page.evaluate(
      ({ value, sheetId, sep }) => {
        const h = (
          window as unknown as {
            __tzBench: {
              session: {
                doc: {
                  clientID: number
                  store: { clients: Map<number, Array<{ id: { clock: number }; length: number }>> }
                }
                workbook: {
                  sheet(id: string): {
                    index: { overlayEntries(): IterableIterator<[string, [unknown, string]]> }
                  }
                }
              }
            }
          }
        ).__tzBench
        const doc = h.session.doc
        const structs = doc.store.clients.get(doc.clientID) ?? []
        const last = structs[structs.length - 1]
        const clock = last ? last.id.clock + last.length : 0
        for (const [k, ov] of h.session.workbook.sheet(sheetId).index.overlayEntries()) {
          if (ov[0] === value) {
            const at = k.indexOf(sep)
            return {
              row: k.slice(0, at),
              col: k.slice(at + 1),
              editId: ov[1],
              yClient: doc.clientID,
              clock,
            }
          }
        }
        return null
      },
      { value, sheetId: SHEET_ID, sep: CELL_KEY_SEPARATOR },
    )
    if (!found) return miss('typed value not in the model')
    const op = this.record('typeCell', found.yClient, found.clock)
    this.writes.push({
      client: this.index,
      opId: op.opId,
      sheetId: SHEET_ID,
      row: found.row,
      col: found.col,
      value,
      editId: found.editId,
    })
    this.uiEdits++
    return true
  }

  /**
   * An edit through the page's own session (the debug hook): the same model calls the grid makes
   * (setCell / clear with the local origin, a row insert, the session's undo).
   */
  async hookEdit(rand: () => number): Promise<string> {
    const x = rand()
    const kind = x < 0.65 ? 'setCell' : x < 0.75 ? 'clearCell' : x < 0.9 ? 'insertRows' : 'undo'
    const r = await this.page.evaluate(
      ({ kind, r1, r2, tag, sheetId }) => {
        interface Hook {
          session: {
            undo: { undo(): void }
            doc: {
              clientID: number
              store: { clients: Map<number, Array<{ id: { clock: number }; length: number }>> }
            }
            workbook: {
              sheet(id: string): {
                columns(): Array<{ id: string; type: string }>
                index: {
                  orderedIds(): string[]
                  overlayEntry(row: string, col: string): [unknown, string] | undefined
                }
                setCell(row: string, col: string, v: unknown): void
                insertRows(rows: Array<Record<string, unknown>>, at?: { after: string }): string[]
              }
            }
          }
        }
        const h = (window as unknown as { __tzBench: Hook }).__tzBench
        const s = h.session.workbook.sheet(sheetId)
        const doc = h.session.doc
        const clockNow = () => {
          const structs = doc.store.clients.get(doc.clientID) ?? []
          const last = structs[structs.length - 1]
          return last ? last.id.clock + last.length : 0
        }
        const ids = s.index.orderedIds()
        const cols = s.columns()
        const row = ids[Math.floor(r1 * ids.length)]
        const col = cols[Math.floor(r2 * cols.length)]
        let write: { row: string; col: string; value: unknown; editId: string } | null = null
        if ((kind === 'setCell' || kind === 'clearCell') && row && col) {
          const value =
            kind === 'clearCell'
              ? null
              : col.type === 'text'
                ? `hook·${tag}`
                : col.type === 'boolean'
                  ? r1 < 0.5
                  : col.type === 'date'
                    ? '2024-05-17'
                    : col.type === 'percent'
                      ? Math.round(r2 * 1000) / 1000
                      : Math.floor(r1 * 100_000)
          const before = s.index.overlayEntry(row, col.id)?.[1]
          s.setCell(row, col.id, value)
          const after = s.index.overlayEntry(row, col.id)?.[1]
          if (after && after !== before) write = { row, col: col.id, value, editId: after }
        } else if (kind === 'insertRows') {
          const rec: Record<string, unknown> = {}
          for (const c of cols) if (c.type === 'text') rec[c.id] = `hook·${tag}·new`
          s.insertRows([rec], row ? { after: row } : undefined)
        } else if (kind === 'undo') {
          h.session.undo.undo()
        }
        return { write, yClient: doc.clientID, clock: clockNow() }
      },
      {
        kind,
        r1: rand(),
        r2: rand(),
        tag: `p${this.index}h${this.n++}`,
        sheetId: SHEET_ID,
      },
    )
    const op = this.record(kind, r.yClient, r.clock)
    if (r.write) {
      this.writes.push({
        client: this.index,
        opId: op.opId,
        sheetId: SHEET_ID,
        row: r.write.row,
        col: r.write.col,
        value: r.write.value as CellWrite['value'],
        editId: r.write.editId,
      })
    }
    this.hookEdits++
    return kind
  }

  /** Edit ids of this page's writes missing from the page's own edit log. */
  async missingFromOwnLog(): Promise<string[]> {
    const ids = this.writes.map((w) => w.editId)
    return this.page.evaluate(
      ({ ids, root, sheetId }) => {
        const h = (
          window as unknown as {
            __tzBench: {
              session: {
                doc: {
                  getMap(k: string): { get(k: string): { toArray(): unknown[][] } | undefined }
                }
              }
            }
          }
        ).__tzBench
        const log = h.session.doc.getMap(root).get(sheetId)?.toArray() ?? []
        const have = new Set(log.map((r) => r[5]))
        return ids.filter((id) => !have.has(id))
      },
      { ids, root: ROOT_HISTORY, sheetId: SHEET_ID },
    )
  }
}

export { sleep }
