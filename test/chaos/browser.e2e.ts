/**
 * The browser parts of issue 6, on the real stack:
 * 1. chaos with 2 Chromium pages of the real web app and 4 Node clients on one workbook (socket
 *    cuts, a SIGKILL + restart of the server, one page offline and editing, then reloaded from its
 *    IndexedDB while offline); every replica, a fresh Node client and a fresh page opened offline
 *    from its own IndexedDB hold identical sheets; every acknowledged write is explained.
 * 2. durability: a page killed right after the UI showed its edits as saved on this device keeps
 *    100% of them when reopened offline; a corrupt record planted in IndexedDB leaves the app
 *    usable with a warning, it rebuilds from the server, and no valid record is deleted.
 *
 *   npx vite build && npx vitest run --project browser test/chaos/browser.e2e.ts
 *   CHAOS_SEED=<seed> … reruns one seed. Screenshots: .artifacts/chaos/.
 */
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { snapshot } from '../../shared/src/test/randomOps.js'
import {
  badgeState,
  cellSel,
  closeProfile,
  ensureDebugBuild,
  killChromium,
  launchProfile,
  newProfileDir,
  type Page,
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
import type { ChaosClient } from './client.js'
import { Y, type YDoc } from './deps.js'
import {
  explainWrites,
  type Fleet,
  freshReplica,
  startFleet,
  WORKBOOK,
  waitUntil,
} from './harness.js'
import { pick, prng, randomOp, SHEET_ID } from './ops.js'

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000))

const SIZE = { nodeClients: 4, nodeOps: 200, pageOps: 40, cutsPerClient: 5, paceMs: 12 }

const svOf = (d: YDoc) => Y.decodeStateVector(Y.encodeStateVector(d))
function sameSv(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

// Everything this file starts, stopped in afterAll whatever happened.
const fleets: Fleet[] = []
const contexts: Profile[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const p of contexts) await closeProfile(p, false)
  for (const f of fleets) await f.dispose().catch(() => undefined)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function launch(name: string, dir: string, offline = false): Promise<Profile> {
  const p = await launchProfile(name, dir, { offline, identity: { name, color: '#d97706' } })
  contexts.push(p)
  return p
}

describe('chaos with browser pages (real Chromium, real taizhang serve)', () => {
  it(`4 Node clients × 200 ops + 2 pages × 40 edits, cuts, a SIGKILL, a page offline and reloaded (seed ${SEED})`, async () => {
    const t0 = Date.now()
    const lines: string[] = []
    const note = (l: string) => lines.push(`+${Date.now() - t0}ms ${l}`)
    const failures: string[] = []
    const webDir = await ensureDebugBuild(note)
    const fleet = await startFleet(SEED, SIZE.nodeClients, ['--web-dir', webDir])
    fleets.push(fleet)
    const { server, clients } = fleet
    const url = workbookUrl(server.httpBase, WORKBOOK, fleet.token)
    note('fleet up')

    const dirA = newProfileDir('a')
    const dirB = newProfileDir('b')
    dirs.push(dirA, dirB)
    const [pa, pb] = await Promise.all([launch('页A', dirA), launch('页B', dirB)])
    const A = new PageReplica(100, pa)
    const B = new PageReplica(101, pb)
    const pages = [A, B]
    await Promise.all(
      pages.map(async (p) => {
        await p.page.goto(url)
        await waitHook(p.page, 30_000)
        await p.page.evaluate(async () => {
          await navigator.serviceWorker.ready
        })
        if (!(await waitBadge(p.page, ['synced'], 30_000))) throw new Error('page never synced')
      }),
    )
    note('pages synced')
    await shot(A.page, 'chaos-1-start-a.png')

    // ---- the run ----------------------------------------------------------------------------
    const rand = prng(SEED)
    const total = SIZE.nodeClients * SIZE.nodeOps
    const cutsDue = clients.map(() =>
      Array.from({ length: SIZE.cutsPerClient }, () => Math.floor(rand() * total)).sort(
        (a, b) => a - b,
      ),
    )
    const killAt = Math.floor(total * (0.4 + rand() * 0.2))
    const offNode = {
      client: 1 + Math.floor(rand() * (SIZE.nodeClients - 1)),
      from: Math.floor(total * 0.15),
      to: Math.floor(total * 0.4),
    }
    let step = 0
    let killing: Promise<void> | null = null
    const killAck = { nodeAcked: 0, pageDurable: 0 }

    const killCycle = async () => {
      await server.kill()
      note('server SIGKILLed')
      const stored = await server.loadStored(WORKBOOK)
      const sv = svOf(stored)
      stored.destroy()
      for (const c of clients) {
        killAck.nodeAcked += c.ops.filter((o) => o.ackedAt !== null).length
        if ((sv.get(c.doc.clientID) ?? 0) < c.ackedClock)
          failures.push(`kill: the stored doc lacks acknowledged writes of client ${c.index}`)
      }
      // Every durable vector a page got (kept in its localStorage) must be covered by the store.
      for (const p of pages) {
        let d: Map<number, number>
        try {
          d = await pageDurable(p.page, WORKBOOK)
        } catch {
          continue // the page is reloading
        }
        killAck.pageDurable++
        for (const [client, clock] of d) {
          if ((sv.get(client) ?? 0) < clock)
            failures.push(
              `kill: page ${p.index} was told ${client}:${clock} is durable; the store has ${sv.get(client) ?? 0}`,
            )
        }
      }
      await sleep(150 + Math.floor(rand() * 250))
      await server.start()
      note('server restarted')
    }

    const nodeLoop = async () => {
      const remaining = clients.map(() => SIZE.nodeOps)
      for (step = 0; step < total; step++) {
        const active = clients.filter((_, i) => remaining[i]! > 0)
        const c = pick(rand, active)!
        remaining[c.index]!--
        randomOp(c, rand, { importRows: 8 })
        if (step === offNode.from) clients[offNode.client]!.goOffline()
        if (step === offNode.to) clients[offNode.client]!.goOnline()
        for (const cl of clients) {
          const due = cutsDue[cl.index]!
          if (due.length > 0 && due[0]! <= step && cl.connected && !cl.isOffline) {
            if (cl.cut('destroy')) due.shift()
          }
        }
        if (step === killAt && killing === null) {
          killing = killCycle().finally(() => {
            killing = null
          })
        }
        await sleep(SIZE.paceMs)
      }
      note('node ops done')
    }

    const pageLoop = async (p: PageReplica, seed: number) => {
      const r = prng(seed)
      for (let i = 0; i < SIZE.pageOps; i++) {
        // Spread the page's edits over the Node run (bounded wait).
        await waitUntil(() => step >= Math.floor((i * total) / SIZE.pageOps), 20_000, 20)
        if (p === B && i === 10) {
          await B.profile.context.setOffline(true)
          B.offline = true
          if (!(await waitBadge(B.page, ['offline'], 5000)))
            failures.push(
              `page B: badge not 离线 after going offline (${await badgeState(B.page)})`,
            )
          note('page B offline')
        }
        if (p === B && i === 22) {
          // Reload from IndexedDB, offline, once the UI says everything is saved on this device.
          if (!(await waitLocalSaved(B.page, 10_000)))
            failures.push('page B: never 已保存 before reload')
          await shot(B.page, 'chaos-2-b-offline-before-reload.png')
          const unsyncedBefore = B.ops.filter((o) => o.ackedAt === null).length
          await B.page.reload()
          await waitHook(B.page, 20_000)
          const missing = await B.missingFromOwnLog()
          if (missing.length > 0)
            failures.push(
              `page B lost ${missing.length} saved edits on an offline reload: ${missing.slice(0, 5).join(', ')}`,
            )
          if ((await badgeState(B.page)) !== 'offline')
            failures.push('page B: not 离线 after reload')
          note(`page B reloaded offline from IndexedDB (${unsyncedBefore} unacknowledged ops kept)`)
          await shot(B.page, 'chaos-3-b-offline-after-reload.png')
        }
        if (p === B && i === 32) {
          await B.profile.context.setOffline(false)
          B.offline = false
          note('page B online')
        }
        // Half through the real grid UI (typing); a typed edit the grid did not take (its row
        // deleted under the editor…) becomes a session edit, so each page makes pageOps edits.
        if (!(r() < 0.5 && (await p.typeEdit(r)))) await p.hookEdit(r)
        if (!p.offline) await p.refreshAcks(WORKBOOK).catch(() => undefined)
      }
      note(
        `page ${p.index} done: ${p.uiEdits} typed, ${p.hookEdits} hook, ${p.uiMisses} typed edits not taken`,
      )
    }

    await Promise.all([nodeLoop(), pageLoop(A, SEED + 1), pageLoop(B, SEED + 2)])
    while (killing !== null) await killing
    if (server.kills === 0) await killCycle()
    clients[offNode.client]!.goOnline()
    if (B.offline) {
      await B.profile.context.setOffline(false)
      B.offline = false
    }
    for (const cl of clients) {
      const due = cutsDue[cl.index]!
      for (let tries = 0; due.length > 0 && tries < 50; tries++) {
        if ((await waitUntil(() => cl.connected, 5000, 10)) && cl.cut('destroy')) due.shift()
      }
    }
    const cuts = clients.reduce((n, c) => n + c.stats.cuts, 0)
    const chaosKills = server.kills
    note(`faults done: ${cuts} cuts, ${server.kills} kill(s)`)

    // ---- heal and check ---------------------------------------------------------------------
    const healStart = Date.now()
    if (!(await waitUntil(() => clients.every((c) => c.connected), 30_000)))
      failures.push('Node clients did not reconnect within 30 s')
    for (const p of pages) {
      if (!(await waitBadge(p.page, ['syncing', 'synced'], 30_000)))
        failures.push(`page ${p.index} did not reconnect within 30 s (${await badgeState(p.page)})`)
    }
    const healMs = Date.now() - healStart
    const convStart = Date.now()
    const fresh: ChaosClient | null = await freshReplica(fleet, 5000)
    if (!fresh) failures.push('a fresh Node client did not load the workbook within 5 s')
    const nodes = fresh ? [...clients, fresh] : clients
    let lastProblem = ''
    const identical = async (): Promise<boolean> => {
      const sv0 = svOf(nodes[0]!.doc)
      if (!nodes.every((n) => sameSv(svOf(n.doc), sv0))) {
        lastProblem = 'Node state vectors differ'
        return false
      }
      const s0 = JSON.stringify(snapshot(nodes[0]!.wb!))
      if (!nodes.every((n) => JSON.stringify(snapshot(n.wb!)) === s0)) {
        lastProblem = 'Node sheets differ'
        return false
      }
      for (const p of pages) {
        const st = await readPageReplica(p.page)
        if (!sameSv(new Map(st.stateVector), sv0)) {
          lastProblem = `page ${p.index} state vector differs`
          return false
        }
        if (st.snap !== s0) {
          lastProblem = `page ${p.index} sheets differ`
          return false
        }
        if (!st.gridMatches) {
          lastProblem = `page ${p.index} grid: ${st.gridProblem}`
          return false
        }
      }
      return true
    }
    let converged = false
    while (!converged && Date.now() - convStart < 5000) {
      converged = await identical()
      if (!converged) await sleep(50)
    }
    const convergenceMs = Date.now() - convStart
    if (!converged) failures.push(`replicas not identical within 5 s of healing: ${lastProblem}`)
    note(`heal ${healMs} ms, identical after ${convergenceMs} ms`)
    await shot(A.page, 'chaos-4-converged-a.png')
    await shot(B.page, 'chaos-4-converged-b.png')

    for (const n of nodes) {
      if (n.doc.store.pendingStructs !== null) failures.push(`client ${n.index}: pending structs`)
      if (n.doc.store.pendingDs !== null) failures.push(`client ${n.index}: pending delete set`)
    }
    for (const p of pages) {
      const st = await readPageReplica(p.page)
      if (st.pendingStructs || st.pendingDs) failures.push(`page ${p.index}: pending structs`)
    }

    // Every op acknowledged once healthy, then every acknowledged write explained.
    if (!(await waitUntil(() => clients.every((c) => c.allAcked()), 30_000)))
      failures.push('Node ops not all acknowledged within 30 s of healing')
    for (const p of pages) {
      if (!(await waitBadge(p.page, ['synced'], 30_000)))
        failures.push(`page ${p.index} not 已同步 within 30 s of healing`)
      await p.refreshAcks(WORKBOOK)
      const open = p.ops.filter((o) => o.ackedAt === null)
      if (open.length > 0)
        failures.push(
          `page ${p.index}: ${open.length} ops never acknowledged (first: ${JSON.stringify(open[0])})`,
        )
    }
    const ref = (fresh ?? clients[0]!).wb!
    const refSnap = JSON.stringify(snapshot(ref))
    const { counts, unexplained } = explainWrites(ref, [...clients, A, B])
    for (const u of unexplained.slice(0, 20)) failures.push(`unexplained write: ${u}`)
    const pageWrites = explainWrites(ref, [A, B]).counts

    // ---- a fresh page from page A's IndexedDB, offline ------------------------------------
    if (!(await waitLocalSaved(A.page, 10_000))) failures.push('page A never 已保存 at the end')
    await closeProfile(pa, false)
    const freshStart = Date.now()
    const pf = await launch('页A′', dirA, true)
    await pf.page.goto(url)
    await waitHook(pf.page, 20_000)
    let freshOk = false
    let freshProblem = ''
    while (!freshOk && Date.now() - freshStart < 15_000) {
      const st = await readPageReplica(pf.page)
      freshOk = st.snap === refSnap && st.gridMatches && !st.pendingStructs
      freshProblem = st.snap !== refSnap ? 'sheets differ' : st.gridProblem
      if (!freshOk) await sleep(50)
    }
    const freshPageMs = Date.now() - freshStart
    if (!freshOk) failures.push(`a fresh page offline from IndexedDB: ${freshProblem}`)
    if ((await badgeState(pf.page)) !== 'offline') failures.push('the fresh page is not 离线')
    await shot(pf.page, 'chaos-5-fresh-page-offline.png')
    note(`fresh page (new browser, same profile, offline) identical after ${freshPageMs} ms`)

    // ---- the stored doc equals the live one -----------------------------------------------
    await server.kill()
    const stored = await server.loadStored(WORKBOOK)
    const { Workbook } = await import('../../shared/src/index.js')
    if (!sameSv(svOf(stored), svOf(ref.doc)))
      failures.push('stored state vector differs from the live one')
    else if (JSON.stringify(snapshot(Workbook.open(stored).workbook)) !== refSnap)
      failures.push('stored sheets differ from the live ones')
    stored.destroy()
    fresh?.destroy()

    const summary = {
      seed: SEED,
      nodeOps: clients.reduce((n, c) => n + c.ops.length, 0),
      pageOps: A.ops.length + B.ops.length,
      typed: A.uiEdits + B.uiEdits,
      typedNotTaken: { ...A.uiMissReasons, ...B.uiMissReasons },
      cuts,
      kills: chaosKills,
      killChecks: killAck,
      healMs,
      convergenceMs,
      freshPageMs,
      rows: ref.sheet(SHEET_ID).rowCount(),
      writes: counts,
      pageWrites,
      durationMs: Date.now() - t0,
    }
    console.log(`browser chaos ${JSON.stringify(summary)}\n${lines.join('\n')}`)
    expect(failures, `seed ${SEED} (rerun with CHAOS_SEED=${SEED})\n${lines.join('\n')}`).toEqual(
      [],
    )
    expect(A.ops.length + B.ops.length).toBe(SIZE.pageOps * 2)
    expect(A.uiEdits + B.uiEdits).toBeGreaterThanOrEqual(SIZE.pageOps / 2)
    expect(cuts).toBeGreaterThanOrEqual(SIZE.nodeClients * SIZE.cutsPerClient)
  })
})

// ---- browser durability ------------------------------------------------------------------

/** A cell's value text without collaborator labels or markers. */
async function cellText(page: Page, rowIndex: number, colId: string): Promise<string | null> {
  return page.evaluate(
    (sel) => {
      const el = document.querySelector(sel)
      if (!el) return null
      const copy = el.cloneNode(true) as HTMLElement
      for (const x of copy.querySelectorAll('.tz-peer')) x.remove()
      return copy.textContent?.trim() ?? ''
    },
    cellSel(rowIndex, colId),
  )
}

async function typeInCell(page: Page, rowIndex: number, colId: string, text: string) {
  await page.locator(cellSel(rowIndex, colId)).click()
  await page.keyboard.press('Enter')
  const editor = page.locator('.tz-editor')
  await editor.waitFor({ timeout: 5000 })
  await editor.fill(text)
  await page.keyboard.press('Enter')
  await editor.waitFor({ state: 'detached', timeout: 5000 })
}

/** The page's IndexedDB records of a workbook, read with the plain IndexedDB API in the page. */
async function idbRecords(
  page: Page,
  workbook: string,
): Promise<Array<{ key: number; bytes: number[] | null; kind: string }>> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open(name)
      req.onsuccess = () => ok(req.result)
      req.onerror = () => fail(req.error)
    })
    const tx = db.transaction('updates', 'readonly')
    const store = tx.objectStore('updates')
    const [keys, values] = await Promise.all([
      new Promise<IDBValidKey[]>((ok) => {
        const r = store.getAllKeys()
        r.onsuccess = () => ok(r.result)
      }),
      new Promise<unknown[]>((ok) => {
        const r = store.getAll()
        r.onsuccess = () => ok(r.result)
      }),
    ])
    db.close()
    return keys.map((k, i) => {
      const v = values[i]
      return {
        key: Number(k),
        bytes: v instanceof Uint8Array ? [...v] : null,
        kind: v instanceof Uint8Array ? 'bytes' : typeof v,
      }
    })
  }, `taizhang-doc-${workbook}`)
}

function isValidUpdate(bytes: number[] | null): boolean {
  if (!bytes) return false
  try {
    Y.decodeUpdate(Uint8Array.from(bytes))
    return true
  } catch {
    return false
  }
}

describe('browser durability (web/dist, real taizhang serve)', () => {
  let fleet: Fleet
  let url: string
  let textCols: string[] = []

  it('a page closed or SIGKILLed right after its edits showed 已保存在本设备 keeps 100% of them, reopened offline', async () => {
    fleet = await startFleet(SEED, 1, [], 30)
    fleets.push(fleet)
    url = workbookUrl(fleet.server.httpBase, WORKBOOK, fleet.token)
    const node = fleet.clients[0]!
    textCols = node
      .wb!.sheet(SHEET_ID)
      .columns()
      .filter((c) => c.type === 'text')
      .map((c) => c.id)
    expect(textCols.length).toBeGreaterThanOrEqual(2)
    const dir = newProfileDir('dur')
    dirs.push(dir)
    let p = await launch('耐久', dir)
    await p.page.goto(url)
    await p.page.locator(cellSel(0, textCols[0]!)).waitFor({ timeout: 20_000 })
    await p.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    expect(await waitBadge(p.page, ['synced'], 20_000)).toBe(true)

    const rounds: Array<{ how: string; offline: boolean; edits: Array<[number, string, string]> }> =
      [
        { how: 'context.close()', offline: false, edits: [] },
        { how: 'SIGKILL of the browser process', offline: true, edits: [] },
      ]
    for (const [k, round] of rounds.entries()) {
      if (round.offline) {
        await p.context.setOffline(true)
        expect(await waitBadge(p.page, ['offline'], 5000)).toBe(true)
      }
      for (let i = 0; i < 6; i++)
        for (const col of textCols.slice(0, 2))
          round.edits.push([i, col, `耐久${k}·${i}·${col.slice(-3)}`])
      for (const [row, col, text] of round.edits) await typeInCell(p.page, row, col, text)
      // The moment the UI says "saved on this device", the browser goes away without warning.
      await p.page.waitForFunction(
        () =>
          document.querySelector('[data-testid="local-save"]')?.getAttribute('data-state') ===
          'saved',
        undefined,
        { timeout: 10_000, polling: 'raf' },
      )
      if (k === 0) await p.context.close()
      else expect(killChromium(dir)).not.toBeNull()
      await closeProfile(p, false)
      contexts.splice(contexts.indexOf(p), 1)

      p = await launch('耐久', dir, true)
      const t = Date.now()
      await p.page.goto(url)
      await p.page.locator(cellSel(0, textCols[0]!)).waitFor({ timeout: 20_000 })
      const missing: string[] = []
      for (const [row, col, text] of round.edits) {
        const got = await cellText(p.page, row, col)
        if (got !== text) missing.push(`(${row}, ${col}) = ${JSON.stringify(got)}, typed ${text}`)
      }
      await shot(p.page, `durability-${k + 1}-reopened-offline.png`)
      console.log(
        `durability: ${round.edits.length} edits, ${round.how}, reopened offline in ${Date.now() - t} ms, missing ${missing.length}`,
      )
      expect(missing, `after ${round.how}`).toEqual([])
      expect(await badgeState(p.page)).toBe('offline')
    }
    // Back online, the offline round reaches the server.
    await p.context.setOffline(false)
    expect(await waitBadge(p.page, ['synced'], 20_000)).toBe(true)
    const s = node.wb!.sheet(SHEET_ID)
    const ids = s.index.orderedIds()
    for (const [row, col, text] of rounds[1]!.edits) expect(s.getCell(ids[row]!, col)).toBe(text)
    await closeProfile(p, false)
    contexts.splice(contexts.indexOf(p), 1)
  })

  it('a corrupt record in IndexedDB: usable within 5 s with a warning, rebuilt from the server, no valid record deleted', async () => {
    const node = fleet.clients[0]!
    const dir = newProfileDir('corrupt')
    dirs.push(dir)
    const p = await launch('损坏', dir)
    await p.page.goto(url)
    await p.page.locator(cellSel(0, textCols[0]!)).waitFor({ timeout: 20_000 })
    await p.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    expect(await waitBadge(p.page, ['synced'], 20_000)).toBe(true)
    // A few local edits, so the store holds several valid records.
    for (let i = 0; i < 3; i++) await typeInCell(p.page, i, textCols[1]!, `本地${i}`)
    expect(await waitLocalSaved(p.page)).toBe(true)
    const before = await idbRecords(p.page, WORKBOOK)
    const validBefore = before.filter((r) => isValidUpdate(r.bytes))
    expect(validBefore.length).toBeGreaterThanOrEqual(2)

    // Garbage next to the valid records: bytes that are no update (between two valid keys and at
    // the end) and a value of the wrong type.
    await p.page.evaluate(
      async ({ name, between }) => {
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const req = indexedDB.open(name)
          req.onsuccess = () => ok(req.result)
          req.onerror = () => fail(req.error)
        })
        const tx = db.transaction('updates', 'readwrite')
        const store = tx.objectStore('updates')
        store.put(new Uint8Array(64).fill(0xff), between)
        store.add(Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 253, 254, 255]))
        store.add('这不是更新')
        await new Promise<void>((ok, fail) => {
          tx.oncomplete = () => ok()
          tx.onerror = () => fail(tx.error)
        })
        db.close()
      },
      { name: `taizhang-doc-${WORKBOOK}`, between: validBefore[0]!.key + 0.5 },
    )
    const planted = await idbRecords(p.page, WORKBOOK)
    const corrupt = planted.filter((r) => !isValidUpdate(r.bytes)).length
    expect(corrupt).toBe(3)

    // Meanwhile the server moves on.
    const s = node.wb!.sheet(SHEET_ID)
    const rowIds = s.index.orderedIds()
    s.setCell(rowIds[5]!, textCols[0]!, '服务器上的新值')
    expect(await waitUntil(() => node.allAcked(), 10_000)).toBe(true)

    // Reopen offline: the app must be usable within 5 s and say something is wrong.
    await p.context.setOffline(true)
    const t = Date.now()
    await p.page.reload()
    await p.page.locator(cellSel(0, textCols[0]!)).waitFor({ timeout: 5000 })
    await p.page
      .locator('.banner.warn')
      .waitFor({ timeout: Math.max(100, 5000 - (Date.now() - t)) })
    const usableMs = Date.now() - t
    const warning = await p.page.locator('.banner.warn').textContent()
    await shot(p.page, 'corrupt-1-offline-warning.png')
    for (let i = 0; i < 3; i++) expect(await cellText(p.page, i, textCols[1]!)).toBe(`本地${i}`)
    // Usable: an edit offline.
    await typeInCell(p.page, 7, textCols[1]!, '损坏后离线编辑')
    expect(await waitLocalSaved(p.page)).toBe(true)

    // Online: the server's state arrives and the offline edit reaches the server.
    await p.context.setOffline(false)
    expect(await waitBadge(p.page, ['synced'], 20_000)).toBe(true)
    const deadline = Date.now() + 10_000
    while ((await cellText(p.page, 5, textCols[0]!)) !== '服务器上的新值' && Date.now() < deadline)
      await sleep(50)
    expect(await cellText(p.page, 5, textCols[0]!)).toBe('服务器上的新值')
    expect(
      await waitUntil(() => s.getCell(rowIds[7]!, textCols[1]!) === '损坏后离线编辑', 10_000),
    ).toBe(true)
    await shot(p.page, 'corrupt-2-rebuilt-online.png')

    // No valid record deleted (compaction may only add merged records after them).
    expect(await waitLocalSaved(p.page)).toBe(true)
    const after = await idbRecords(p.page, WORKBOOK)
    const afterByKey = new Map(after.map((r) => [r.key, r.bytes?.join(',')]))
    const lost = validBefore.filter((r) => afterByKey.get(r.key) !== r.bytes!.join(','))
    const validAfter = after.filter((r) => isValidUpdate(r.bytes)).length
    console.log(
      `corrupt record: usable offline in ${usableMs} ms with warning ${JSON.stringify(warning)}; valid records ${validBefore.length} → ${validAfter}, planted corrupt ${corrupt}, valid lost ${lost.length}`,
    )
    expect(usableMs).toBeLessThan(5000)
    expect(warning?.length).toBeGreaterThan(0)
    expect(lost.map((r) => r.key)).toEqual([])
    expect(validAfter).toBeGreaterThanOrEqual(validBefore.length)
  })
})
