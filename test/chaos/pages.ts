/**
 * Two Chromium pages of the real web app as extra replicas of a chaos run (`ExtraReplicas`), so
 * they edit in the same run, on the same workbook and server, as the Node clients:
 * - page A edits throughout and drops off the network for short stretches (its sockets die with
 *   every SIGKILL of the server too);
 * - page B goes offline for a long stretch, keeps editing, is reloaded from its IndexedDB while
 *   still offline (every edit it had saved on this device must survive), then comes back online;
 * - at the end both must hold the same sheets as the Node replicas (model and grid), every op of
 *   theirs acknowledged, and a fresh page opened offline on page A's profile must load the same
 *   sheets from its IndexedDB.
 * Half the edits go through the grid UI (typing), half through the page's own session.
 */
import { rmSync } from 'node:fs'
import {
  badgeState,
  closeProfile,
  launchProfile,
  newProfileDir,
  PageReplica,
  type Profile,
  pageDurable,
  readPageReplica,
  shot,
  sleep,
  waitBadge,
  waitHook,
  waitLocalSaved,
  workbookUrl,
} from './browser.js'
import type { ExtraReplicas, Fleet, WriteSource } from './harness.js'
import { WORKBOOK, waitUntil } from './harness.js'
import { prng } from './ops.js'

export interface PagesOptions {
  seed: number
  /** Edits per page (default 40). */
  ops?: number
  /** Short offline stretches of page A (default 2). */
  blips?: number
}

function sameSv(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

export class BrowserPages implements ExtraReplicas {
  private readonly ops: number
  private readonly blips: number
  private readonly profiles: Profile[] = []
  private readonly dirs: string[] = []
  private pages: PageReplica[] = []
  private url = ''
  private log: (l: string) => void = () => undefined
  private readonly t0 = Date.now()
  private freshPageMs = -1
  private reloadKept = -1

  constructor(private readonly opts: PagesOptions) {
    this.ops = opts.ops ?? 40
    this.blips = opts.blips ?? 2
  }

  private note(l: string): void {
    this.log(`pages +${Date.now() - this.t0}ms: ${l}`)
  }

  private async launch(name: string, dir: string, offline = false): Promise<Profile> {
    const p = await launchProfile(name, dir, { offline, identity: { name, color: '#d97706' } })
    this.profiles.push(p)
    return p
  }

  async start(fleet: Fleet, log: (l: string) => void): Promise<void> {
    this.log = log
    this.url = workbookUrl(fleet.server.httpBase, WORKBOOK, fleet.token)
    const dirA = newProfileDir('a')
    const dirB = newProfileDir('b')
    this.dirs.push(dirA, dirB)
    const [pa, pb] = await Promise.all([this.launch('页A', dirA), this.launch('页B', dirB)])
    this.pages = [new PageReplica(100, pa), new PageReplica(101, pb)]
    await Promise.all(
      this.pages.map(async (p) => {
        await p.page.goto(this.url)
        await waitHook(p.page, 30_000)
        await p.page.evaluate(async () => {
          await navigator.serviceWorker.ready
        })
        if (!(await waitBadge(p.page, ['synced'], 30_000))) throw new Error('page never synced')
      }),
    )
    this.note('pages synced')
    await shot(this.pages[0]!.page, 'chaos-1-start-a.png')
  }

  private async setOffline(p: PageReplica, offline: boolean): Promise<void> {
    await p.profile.context.setOffline(offline)
    p.offline = offline
  }

  private async pageLoop(
    p: PageReplica,
    seed: number,
    step: () => number,
    total: number,
    problems: string[],
  ): Promise<void> {
    const r = prng(seed)
    const [A, B] = this.pages
    const n = this.ops
    // Page A's short offline stretches, spread over its edits.
    const blipAt = new Set(
      Array.from({ length: this.blips }, (_, k) => Math.floor(((k + 0.5) * n) / this.blips)),
    )
    for (let i = 0; i < n; i++) {
      // Spread the page's edits over the Node run (bounded wait: the Node loop keeps moving).
      await waitUntil(() => step() >= Math.floor((i * total) / n), 60_000, 20)
      if (p === A && blipAt.has(i)) {
        await this.setOffline(A, true)
        if (!(await waitBadge(A.page, ['offline'], 5000)))
          problems.push(`page A: badge not 离线 when offline (${await badgeState(A.page)})`)
        // Edits made during the stretch stay on the device until it is back.
        await A.hookEdit(r)
        await sleep(300 + Math.floor(r() * 700))
        await this.setOffline(A, false)
        this.note(`page A back online after a short stretch (edit ${i})`)
      }
      if (p === B && i === Math.floor(n / 4)) {
        await this.setOffline(B, true)
        if (!(await waitBadge(B.page, ['offline'], 5000)))
          problems.push(`page B: badge not 离线 after going offline (${await badgeState(B.page)})`)
        this.note('page B offline')
      }
      if (p === B && i === Math.floor((n * 11) / 20)) {
        // Reload from IndexedDB, offline, once the UI says everything is saved on this device.
        if (!(await waitLocalSaved(B.page, 10_000)))
          problems.push('page B: never 已保存 before reload')
        await shot(B.page, 'chaos-2-b-offline-before-reload.png')
        this.reloadKept = B.ops.filter((o) => o.ackedAt === null).length
        await B.page.reload()
        await waitHook(B.page, 20_000)
        const missing = await B.missingFromOwnLog()
        if (missing.length > 0)
          problems.push(
            `page B lost ${missing.length} saved edits on an offline reload: ${missing.slice(0, 5).join(', ')}`,
          )
        if ((await badgeState(B.page)) !== 'offline') problems.push('page B: not 离线 after reload')
        this.note(`page B reloaded offline from IndexedDB (${this.reloadKept} unacknowledged ops)`)
        await shot(B.page, 'chaos-3-b-offline-after-reload.png')
      }
      if (p === B && i === Math.floor((n * 4) / 5)) {
        await this.setOffline(B, false)
        this.note('page B online')
      }
      // Half through the real grid UI (typing); a typed edit the grid did not take (its row
      // deleted under the editor…) becomes a session edit, so each page makes `ops` edits.
      if (!(r() < 0.5 && (await p.typeEdit(r)))) await p.hookEdit(r)
      if (!p.offline) await p.refreshAcks(WORKBOOK).catch(() => undefined)
    }
    this.note(`page ${p.index} done: ${p.uiEdits} typed, ${p.hookEdits} session edits`)
  }

  async run(step: () => number, total: number): Promise<string[]> {
    const problems: string[] = []
    const [A, B] = this.pages as [PageReplica, PageReplica]
    await Promise.all([
      this.pageLoop(A, this.opts.seed + 1, step, total, problems),
      this.pageLoop(B, this.opts.seed + 2, step, total, problems),
    ])
    return problems
  }

  async checkStored(stored: Map<number, number>): Promise<string[]> {
    const problems: string[] = []
    // Every durable vector a page got (kept in its localStorage) must be covered by the store.
    for (const p of this.pages) {
      let d: Map<number, number>
      try {
        d = await pageDurable(p.page, WORKBOOK)
      } catch {
        continue // the page is reloading
      }
      for (const [client, clock] of d) {
        if ((stored.get(client) ?? 0) < clock)
          problems.push(
            `page ${p.index} was told ${client}:${clock} is durable; the store has ${stored.get(client) ?? 0}`,
          )
      }
    }
    return problems
  }

  async heal(): Promise<string[]> {
    const problems: string[] = []
    for (const p of this.pages) {
      if (p.offline) await this.setOffline(p, false)
      if (!(await waitBadge(p.page, ['syncing', 'synced'], 30_000)))
        problems.push(`page ${p.index} did not reconnect within 30 s (${await badgeState(p.page)})`)
    }
    return problems
  }

  async differs(sv: Map<number, number>, snap: string): Promise<string | null> {
    for (const p of this.pages) {
      const st = await readPageReplica(p.page)
      if (!sameSv(new Map(st.stateVector), sv)) return `page ${p.index} state vector differs`
      if (st.snap !== snap) return `page ${p.index} sheets differ`
      if (!st.gridMatches) return `page ${p.index} grid: ${st.gridProblem}`
    }
    return null
  }

  async settle(): Promise<string[]> {
    const problems: string[] = []
    for (const p of this.pages) {
      await shot(p.page, `chaos-4-converged-${p === this.pages[0] ? 'a' : 'b'}.png`)
      const st = await readPageReplica(p.page)
      if (st.pendingStructs || st.pendingDs) problems.push(`page ${p.index}: pending structs`)
      if (!(await waitBadge(p.page, ['synced'], 30_000)))
        problems.push(`page ${p.index} not 已同步 within 30 s of healing`)
      await p.refreshAcks(WORKBOOK)
      const open = p.ops.filter((o) => o.ackedAt === null)
      if (open.length > 0)
        problems.push(
          `page ${p.index}: ${open.length} ops never acknowledged (first: ${JSON.stringify(open[0])})`,
        )
    }
    return problems
  }

  writers(): WriteSource[] {
    return this.pages
  }

  async finish(snap: string): Promise<string[]> {
    const problems: string[] = []
    const A = this.pages[0]!
    // A fresh page (new browser, page A's profile) opened offline: it loads from IndexedDB only.
    if (!(await waitLocalSaved(A.page, 10_000))) problems.push('page A never 已保存 at the end')
    await closeProfile(A.profile, false)
    const start = Date.now()
    const pf = await this.launch('页A′', A.profile.dir, true)
    await pf.page.goto(this.url)
    await waitHook(pf.page, 20_000)
    let ok = false
    let problem = ''
    while (!ok && Date.now() - start < 15_000) {
      const st = await readPageReplica(pf.page)
      ok = st.snap === snap && st.gridMatches && !st.pendingStructs
      problem = st.snap !== snap ? 'sheets differ' : st.gridProblem
      if (!ok) await sleep(50)
    }
    this.freshPageMs = Date.now() - start
    if (!ok) problems.push(`a fresh page offline from IndexedDB: ${problem}`)
    if ((await badgeState(pf.page)) !== 'offline') problems.push('the fresh page is not 离线')
    await shot(pf.page, 'chaos-5-fresh-page-offline.png')
    this.note(
      `fresh page (new browser, page A's profile, offline) identical after ${this.freshPageMs} ms`,
    )
    return problems
  }

  figures(): Record<string, unknown> {
    const [A, B] = this.pages
    return {
      pages: this.pages.length,
      pageOps: (A?.ops.length ?? 0) + (B?.ops.length ?? 0),
      typed: (A?.uiEdits ?? 0) + (B?.uiEdits ?? 0),
      typedNotTaken: { ...A?.uiMissReasons, ...B?.uiMissReasons },
      unacknowledgedAtReload: this.reloadKept,
      freshPageMs: this.freshPageMs,
    }
  }

  async dispose(): Promise<void> {
    for (const p of this.profiles) await closeProfile(p, false).catch(() => undefined)
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true })
  }
}
