/**
 * The chaos run: a real `taizhang serve` child process, N headless clients doing random operations
 * from the real vocabulary, and faults (abrupt socket cuts, long offline stretches with edits,
 * SIGKILL + restart of the server on the same port and data dir). At the end, once the network is
 * healthy, it checks convergence, durability and that every acknowledged cell write is explained.
 * Returns figures and a list of failures (empty = pass); never throws for a failed check.
 */
import { type LogRecord, ROOT_HISTORY, type Workbook } from '../../shared/src/index.js'
import { snapshot } from '../../shared/src/test/randomOps.js'
import { type CellWrite, ChaosClient, type ClientOptions, type OpRecord } from './client.js'
import { Y, type YDoc } from './deps.js'
import { pick, prng, type Rand, randomOp, SHEET_ID } from './ops.js'
import { ChaosServer } from './server.js'

export const WORKBOOK = 'chaos'

export interface ChaosOptions {
  seed: number
  clients: number
  opsPerClient: number
  kills: number
  cutsPerClient: number
  /** Offline windows in the run (each on a random client, about `offlineOps` of its ops long). */
  offlineWindows: number
  offlineOps: number
  /** Rows per small import (max). */
  importRows?: number
  /** Bound for "identical everywhere" once the network is healthy (issue: 5 s). */
  convergeMs?: number
  /** Yield to the network every `paceEvery` ops for `paceMs` ms. */
  paceEvery?: number
  paceMs?: number
  /** Extra `serve` flags. */
  serverArgs?: string[]
  /** Replicas beyond the Node clients (the browser pages), in the same run and checks. */
  extra?: ExtraReplicas
  log?: (line: string) => void
}

/**
 * Replicas beyond the Node clients, driven through the same run: the harness calls these in order
 * (start, run alongside the Node loop, checkStored after each SIGKILL, heal, differs until
 * identical, settle, writers, finish) and adds what they return to its failures. Test/chaos/pages.ts
 * implements it with Chromium pages of the real web app; the harness itself stays Node-only.
 */
export interface ExtraReplicas {
  /** The fleet is up (server running, workbook seeded): open the replicas. */
  start(fleet: Fleet, log: (line: string) => void): Promise<void>
  /** Their edits and faults, spread over the Node run (`step()` of `total`); returns problems. */
  run(step: () => number, total: number): Promise<string[]>
  /** The server is down after a SIGKILL: whatever they were told is durable must be `stored`. */
  checkStored(stored: Map<number, number>): Promise<string[]>
  /** The network is healthy again: wait until they are back online; returns problems. */
  heal(): Promise<string[]>
  /** null when every one holds exactly this state vector and sheet snapshot, else why not. */
  differs(sv: Map<number, number>, snap: string): Promise<string | null>
  /** Once identical: pending structs, every op acknowledged…; returns problems. */
  settle(): Promise<string[]>
  /** Their history logs, for the "every acknowledged write is explained" check. */
  writers(): WriteSource[]
  /** Last live check (e.g. a fresh page from its IndexedDB equals `snap`); returns problems. */
  finish(snap: string): Promise<string[]>
  /** Figures for the results. */
  figures(): Record<string, unknown>
  dispose(): Promise<void>
}

export interface Percentiles {
  n: number
  p50: number
  p99: number
  max: number
}

export interface ChaosResults {
  seed: number
  clients: number
  ops: number
  opsByKind: Record<string, number>
  acked: number
  kills: number
  cuts: number
  offlineWindows: number
  /** Acks seen before each kill that the stored data covered (all must be). */
  killChecks: Array<{ kill: number; ackedOps: number; missingClients: number[] }>
  ackRegressions: number
  /** Ops made while connected: time from the local write to its acknowledgement. */
  ackLatencyMs: Percentiles
  /** Ops made offline or while the server was down: time to acknowledgement. */
  offlineAckLatencyMs: Percentiles
  healMs: number
  convergenceMs: number
  finalRows: number
  deletedRows: number
  columns: number
  writes: Record<string, number>
  /** Figures of the extra replicas (browser pages), when the run had some. */
  extra?: Record<string, unknown>
  durationMs: number
  failures: string[]
}

/**
 * How sockets are cut: the TCP socket under the client's ws is destroyed (no close frame, the
 * server sees a reset). `CHAOS_CUT_MODE=terminate` uses `ws.terminate()` instead, which in ws
 * 8.23 on Node 20 sometimes leaves the client socket in CLOSING with no 'close' event, so
 * y-websocket never reconnects (a Node-client quirk; browsers use their own WebSocket).
 */
function cutMode(): 'destroy' | 'terminate' {
  return process.env.CHAOS_CUT_MODE === 'terminate' ? 'terminate' : 'destroy'
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Polls `cond` until true or the bound passes; returns whether it became true. */
export async function waitUntil(
  cond: () => boolean,
  boundMs: number,
  everyMs = 20,
): Promise<boolean> {
  const until = Date.now() + boundMs
  for (;;) {
    if (cond()) return true
    if (Date.now() > until) return false
    await sleep(everyMs)
  }
}

export function percentiles(xs: number[]): Percentiles {
  if (xs.length === 0) return { n: 0, p50: 0, p99: 0, max: 0 }
  const s = [...xs].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! }
}

/** Whether two docs hold the same insertions from every client. */
export function svEqual(a: YDoc, b: YDoc): boolean {
  const x = Y.decodeStateVector(Y.encodeStateVector(a))
  const y = Y.decodeStateVector(Y.encodeStateVector(b))
  if (x.size !== y.size) return false
  for (const [k, v] of x) if (y.get(k) !== v) return false
  return true
}

function snap(wb: Workbook): string {
  return JSON.stringify(snapshot(wb))
}

/** Creates the workbook (client 0) with one sheet, a few typed columns and rows; waits for its ack. */
export async function seedWorkbook(c: ChaosClient, rows = 40): Promise<void> {
  if (!(await waitUntil(() => c.connected, 30_000))) throw new Error('seed client never synced')
  const { Workbook } = await import('../../shared/src/index.js')
  const wb = Workbook.create(c.doc, {
    title: '混沌测试台账',
    author: { id: 'c0', name: '客户端0' },
  })
  const s = wb.sheet(wb.addSheet('站点', { id: SHEET_ID }))
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const district = s.addColumn({ name: '地区', type: 'text' })
  const count = s.addColumn({ name: '服务人次', type: 'integer' })
  const money = s.addColumn({ name: '经费', type: 'money' })
  s.insertRows(
    Array.from({ length: rows }, (_, i) => ({
      [name]: `社工站${i}`,
      [district]: ['杨浦区', '浦东新区', '徐汇区'][i % 3]!,
      [count]: i * 17,
      [money]: i * 1.5,
    })),
  )
  c.wb = wb
  c.undo = wb.createUndoManager()
  if (!(await waitUntil(() => c.ackedClock >= c.clock, 30_000))) {
    throw new Error('the seeded workbook was never acknowledged')
  }
}

export interface Fleet {
  server: ChaosServer
  token: string
  clients: ChaosClient[]
  /** Creates one more client (not in `clients`). */
  makeClient(index: number, opts?: { ack?: boolean }): ChaosClient
  dispose(): Promise<void>
}

/** Starts the server, mints a token with the CLI, connects `n` clients on a seeded workbook. */
export async function startFleet(
  seed: number,
  n: number,
  serverArgs: string[] = [],
  seedRows = 40,
  /** Per-client extras (by index), e.g. a slow link. */
  clientExtras: (index: number) => Pick<ClientOptions, 'receiveDelayMs'> = () => ({}),
): Promise<Fleet> {
  const server = await ChaosServer.create({ extra: serverArgs })
  const clients: ChaosClient[] = []
  try {
    await server.start()
    const token = await server.token('editor', 'chaos')
    const makeClient = (index: number, opts: { ack?: boolean } = {}) =>
      new ChaosClient({
        index,
        wsBase: server.wsBase,
        workbook: WORKBOOK,
        token,
        clientID: ((seed % 100_000) * 1000 + index + 1) >>> 0,
        ack: opts.ack,
        ...clientExtras(index),
      })
    const first = makeClient(0)
    clients.push(first)
    await seedWorkbook(first, seedRows)
    for (let i = 1; i < n; i++) clients.push(makeClient(i))
    const ok = await waitUntil(
      () => clients.every((c) => c.connected && c.doc.share.size > 0),
      30_000,
    )
    if (!ok) throw new Error('clients did not sync the seeded workbook')
    // Wait until each holds the seeded sheet, then open it.
    await waitUntil(() => clients.every((c) => c.doc.getMap('sheets').has(SHEET_ID)), 30_000)
    for (const c of clients.slice(1)) c.openWorkbook()
    return {
      server,
      token,
      clients,
      makeClient,
      async dispose() {
        for (const c of clients) c.destroy()
        await server.dispose()
      },
    }
  } catch (e) {
    for (const c of clients) c.destroy()
    await server.dispose()
    throw e
  }
}

/** A fresh client that loads everything from the server (no ack, no writes). */
export async function freshReplica(fleet: Fleet, boundMs: number): Promise<ChaosClient | null> {
  const c = fleet.makeClient(999, { ack: false })
  const ok = await waitUntil(() => c.connected && c.doc.getMap('sheets').has(SHEET_ID), boundMs)
  if (!ok) {
    c.destroy()
    return null
  }
  c.openWorkbook()
  return c
}

/** A writer whose history log can be checked: a Node client or a browser page. */
export interface WriteSource {
  ops: OpRecord[]
  writes: CellWrite[]
}

/**
 * Classifies every acknowledged cell write against the final doc. Returns counts per category and
 * the writes nothing explains.
 */
export function explainWrites(
  ref: Workbook,
  clients: WriteSource[],
): { counts: Record<string, number>; unexplained: string[] } {
  const s = ref.sheet(SHEET_ID)
  const log = (ref.doc.getMap(ROOT_HISTORY).get(SHEET_ID) as { toArray(): LogRecord[] }).toArray()
  const byId = new Map<string, LogRecord>()
  for (const r of log) byId.set(r[5], r)
  const lost = new Set(s.conflicts().map((c) => c.lost.editId))
  const deletedRows = new Set(s.deletedRows().map((d) => d.id))
  const liveCols = new Set(s.columns().map((c) => c.id))
  const deadCols = new Set(s.deletedColumns().map((c) => c.id))
  const isAncestor = (editId: string, from: string | undefined): boolean => {
    let cur = from ? byId.get(from) : undefined
    for (let guard = 0; cur && guard < 1_000_000; guard++) {
      if (cur[5] === editId) return true
      cur = cur[6] ? byId.get(cur[6]) : undefined
    }
    return false
  }
  const counts: Record<string, number> = {}
  const bump = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1
  }
  const unexplained: string[] = []
  for (const c of clients) {
    const undoAfter = new Int32Array(c.ops.length + 1).fill(0)
    // undoAfter[i] = 1 when the client undid something after op i.
    let seen = 0
    for (let i = c.ops.length - 1; i >= 0; i--) {
      undoAfter[i] = seen
      if (c.ops[i]!.kind === 'undo') seen = 1
    }
    for (const w of c.writes) {
      const op = c.ops[w.opId]
      if (!op || op.ackedAt === null) {
        bump('unacked')
        continue
      }
      const describe = () =>
        `client ${w.client} op ${w.opId} edit ${w.editId} ${w.row}:${w.col}=${JSON.stringify(w.value)}`
      if (!byId.has(w.editId)) {
        unexplained.push(`${describe()}: missing from the edit log`)
        continue
      }
      const overlay = s.index.overlayEntry(w.row, w.col)
      if (overlay?.[1] === w.editId) {
        if (overlay[0] !== w.value) {
          unexplained.push(`${describe()}: overlay holds ${JSON.stringify(overlay[0])}`)
        } else if (!s.index.records.has(w.row)) bump('present: row insert undone')
        else if (deletedRows.has(w.row)) bump('present: in deleted row')
        else if (deadCols.has(w.col)) bump('present: in deleted column')
        else if (!liveCols.has(w.col)) bump('present: column add undone')
        else if (s.getCell(w.row, w.col) === w.value) bump('present')
        else
          unexplained.push(
            `${describe()}: visible cell shows ${JSON.stringify(s.getCell(w.row, w.col))}`,
          )
      } else if (isAncestor(w.editId, overlay?.[1])) bump('overwritten later')
      else if (lost.has(w.editId)) bump('concurrent: in conflicts()')
      else if (undoAfter[w.opId]) bump('undone by its author')
      else {
        // Known gap: a write on a losing branch after that branch's first edit (which conflicts()
        // does list): the value its author ended with is overwritten with no conflict record.
        let onLosingBranch = false
        let cur = byId.get(w.editId)
        for (let g = 0; cur && g < 100_000; g++) {
          if (lost.has(cur[5])) {
            onLosingBranch = true
            break
          }
          cur = cur[6] ? byId.get(cur[6]) : undefined
        }
        const mine = byId.get(w.editId)!
        const win = overlay ? byId.get(overlay[1]) : undefined
        unexplained.push(
          `${describe()} (prev ${mine[6]}): overwritten by ${overlay?.[1] ?? '(no overlay)'}` +
            ` (by ${win?.[3]}, prev ${win?.[6]}), not in conflicts()` +
            (onLosingBranch
              ? '; a later edit on a losing branch whose first edit conflicts() lists'
              : ''),
        )
      }
    }
  }
  return { counts, unexplained }
}

/** Runs one chaos scenario end to end. */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResults> {
  const t0 = Date.now()
  const log = opts.log ?? (() => undefined)
  const rand: Rand = prng(opts.seed)
  const failures: string[] = []
  const convergeMs = opts.convergeMs ?? 5_000
  const fleet = await startFleet(opts.seed, opts.clients, opts.serverArgs)
  const { server, clients } = fleet
  const extra = opts.extra
  const total = opts.clients * opts.opsPerClient
  const killChecks: ChaosResults['killChecks'] = []
  let fresh: ChaosClient | null = null
  try {
    await extra?.start(fleet, log)
    // ---- fault schedule (by global step) --------------------------------------------------
    const cutsDue: number[][] = clients.map(() =>
      Array.from({ length: opts.cutsPerClient }, () => Math.floor(rand() * total)).sort(
        (a, b) => a - b,
      ),
    )
    const killAt = Array.from({ length: opts.kills }, (_, k) =>
      Math.floor(((k + 0.5 + (rand() - 0.5) * 0.6) / opts.kills) * total * 0.9),
    )
    const offline: Array<{ client: number; from: number; to: number }> = []
    for (let k = 0; k < opts.offlineWindows; k++) {
      const client = 1 + ((k + Math.floor(rand() * opts.clients)) % Math.max(1, opts.clients - 1))
      const len = opts.offlineOps * opts.clients
      const from = Math.floor(rand() * Math.max(1, total - len))
      offline.push({ client: client % opts.clients, from, to: from + len })
    }
    let killing: Promise<void> | null = null
    let kills = 0
    const killCycle = async () => {
      const k = ++kills
      await server.kill()
      // No server runs now: every ack any client has processed (or will, from buffers) was sent
      // by the dead server after the write was durable. The stored doc must cover them all.
      const stored = await server.loadStored(WORKBOOK)
      const sv = Y.decodeStateVector(Y.encodeStateVector(stored))
      stored.destroy()
      const missingClients: number[] = []
      let ackedOps = 0
      for (const c of clients) {
        if ((sv.get(c.doc.clientID) ?? 0) < c.ackedClock) missingClients.push(c.index)
        ackedOps += c.ops.filter((o) => o.ackedAt !== null).length
      }
      killChecks.push({ kill: k, ackedOps, missingClients })
      if (missingClients.length > 0) {
        failures.push(
          `kill ${k}: stored data lacks acknowledged writes of clients ${missingClients.join(', ')}`,
        )
      }
      if (extra) for (const f of await extra.checkStored(sv)) failures.push(`kill ${k}: ${f}`)
      log(
        `kill ${k}: ${ackedOps} acked ops, stored doc covers them: ${missingClients.length === 0}`,
      )
      await sleep(50 + Math.floor(rand() * 300))
      await server.start()
    }

    // ---- the run --------------------------------------------------------------------------
    const remaining = clients.map(() => opts.opsPerClient)
    const paceEvery = opts.paceEvery ?? 1
    const paceMs = opts.paceMs ?? 4
    const mix = { importRows: opts.importRows ?? 20 }
    let nextKill = 0
    let step = 0
    const nodeLoop = async () => {
      for (step = 0; step < total; step++) {
        const active = clients.filter((_, i) => remaining[i]! > 0)
        const c = pick(rand, active)!
        remaining[c.index]!--
        randomOp(c, rand, mix)

        for (const w of offline) {
          if (w.from === step) clients[w.client]!.goOffline()
          if (w.to === step) clients[w.client]!.goOnline()
        }
        for (const cl of clients) {
          const due = cutsDue[cl.index]!
          if (due.length > 0 && due[0]! <= step && cl.connected && !cl.isOffline) {
            if (cl.cut(cutMode())) due.shift()
          }
        }
        if (nextKill < killAt.length && killAt[nextKill]! <= step && killing === null) {
          nextKill++
          killing = killCycle().finally(() => {
            killing = null
          })
        }
        if (step % paceEvery === 0) await sleep(paceMs)
        else await new Promise<void>((r) => setImmediate(r))
        if (step % 1000 === 0 || process.env.CHAOS_DEBUG) {
          if (step % (process.env.CHAOS_DEBUG ? 50 : 1000) === 0)
            log(
              `step ${step}/${total} +${Date.now() - t0}ms: server ${server.running ? 'up' : 'down'}; ` +
                clients
                  .map(
                    (c) =>
                      `${c.index}${c.connected ? '+' : c.isOffline ? 'o' : '-'}${c.clock - c.ackedClock}`,
                  )
                  .join(' '),
            )
        }
      }
    }
    const extraRun = extra?.run(() => step, total) ?? Promise.resolve([])
    const [, extraProblems] = await Promise.all([nodeLoop(), extraRun])
    failures.push(...extraProblems)

    // ---- tail: the faults the schedule still owes ----------------------------------------
    for (const w of offline) clients[w.client]!.goOnline()
    if (killing !== null) await killing
    while (kills < opts.kills) await killCycle()
    const tailUntil = Date.now() + 60_000
    for (const cl of clients) {
      const due = cutsDue[cl.index]!
      while (due.length > 0 && Date.now() < tailUntil) {
        const okc = await waitUntil(() => cl.connected, 5_000, 10)
        if (okc) {
          if (cl.cut(cutMode())) due.shift()
        }
      }
    }
    const owedCuts = cutsDue.reduce((n, d) => n + d.length, 0)
    if (owedCuts > 0) failures.push(`${owedCuts} scheduled socket cuts never found a connection`)

    // ---- heal and check -------------------------------------------------------------------
    const healStart = Date.now()
    if (!(await waitUntil(() => clients.every((c) => c.connected), 30_000))) {
      failures.push('clients did not reconnect within 30 s of healing')
    }
    if (extra) failures.push(...(await extra.heal()))
    const healMs = Date.now() - healStart
    const convStart = Date.now()
    fresh = await freshReplica(fleet, convergeMs)
    const replicas = fresh ? [...clients, fresh] : clients
    if (!fresh) failures.push(`a fresh client did not load the workbook within ${convergeMs} ms`)
    // Timed: every Node replica holds every update (equal state vectors), and the extra replicas
    // hold the same updates and sheets. The Node replicas' sheets are compared right after, out of
    // the timed loop (20 snapshots of a soak-size table take seconds): nothing changes the docs
    // once every state vector is equal, so they show what every replica held at that moment.
    let extraProblem: string | null = null
    const identical = async (): Promise<boolean> => {
      const d0 = replicas[0]!.doc
      if (!replicas.every((r) => svEqual(r.doc, d0))) return false
      if (!extra) return true
      const s0 = snap(replicas[0]!.wb!)
      extraProblem = await extra.differs(Y.decodeStateVector(Y.encodeStateVector(d0)), s0)
      return extraProblem === null
    }
    let converged = false
    for (;;) {
      converged = await identical()
      if (converged || Date.now() - convStart > convergeMs) break
      await sleep(25)
    }
    const convergenceMs = Date.now() - convStart
    if (!converged) {
      const svs = replicas.map(
        (r) => `${r.index}:${Y.encodeStateVector(r.doc).length}B/${r.connected}`,
      )
      failures.push(
        `replicas not identical within ${convergeMs} ms of healing (${svs.join(' ')})` +
          (extraProblem ? `: ${extraProblem}` : ''),
      )
    } else {
      const s0 = snap(replicas[0]!.wb!)
      const differ = replicas.filter((r) => snap(r.wb!) !== s0).map((r) => r.index)
      if (differ.length > 0) {
        failures.push(`same updates but different sheets on clients ${differ.join(', ')}`)
      }
    }
    for (const r of replicas) {
      if (r.doc.store.pendingStructs !== null) failures.push(`client ${r.index}: pending structs`)
      if (r.doc.store.pendingDs !== null) failures.push(`client ${r.index}: pending delete set`)
    }
    if (!(await waitUntil(() => clients.every((c) => c.allAcked()), 30_000))) {
      failures.push('not every op was acknowledged within 30 s of healing')
    }
    if (extra) failures.push(...(await extra.settle()))
    const ackRegressions = clients.reduce((n, c) => n + c.stats.ackRegressions.length, 0)
    if (ackRegressions > 0) failures.push(`${ackRegressions} durable state vectors went backwards`)

    const ref = (fresh ?? clients[0]!).wb!
    const writers: WriteSource[] = [...clients, ...(extra?.writers() ?? [])]
    const { counts: writes, unexplained } = explainWrites(ref, writers)
    for (const u of unexplained.slice(0, 20)) failures.push(`unexplained write: ${u}`)
    if (unexplained.length > 20)
      failures.push(`… ${unexplained.length - 20} more unexplained writes`)
    if (extra) failures.push(...(await extra.finish(snap(ref))))

    // The stored doc equals the live one: SIGKILL (nothing gets flushed on the way out), then read
    // the data dir with the server's own DocStore.
    await server.kill()
    const stored = await server.loadStored(WORKBOOK)
    if (!svEqual(stored, ref.doc)) failures.push('stored state vector differs from the live one')
    else {
      const { Workbook } = await import('../../shared/src/index.js')
      const storedWb = Workbook.open(stored).workbook
      if (snap(storedWb) !== snap(ref)) failures.push('stored sheets differ from the live ones')
      storedWb.destroy()
    }
    stored.destroy()

    const s = ref.sheet(SHEET_ID)
    const all: OpRecord[] = clients.flatMap((c) => c.ops)
    const opsByKind: Record<string, number> = {}
    for (const o of all) opsByKind[o.kind] = (opsByKind[o.kind] ?? 0) + 1
    const lat = (online: boolean) =>
      percentiles(
        all
          .filter((o) => o.online === online && o.ackedAt !== null)
          .map((o) => o.ackedAt! - o.sentAt),
      )
    return {
      seed: opts.seed,
      clients: opts.clients,
      ops: all.length,
      opsByKind,
      acked: all.filter((o) => o.ackedAt !== null).length,
      kills,
      cuts: clients.reduce((n, c) => n + c.stats.cuts, 0),
      offlineWindows: offline.length,
      killChecks,
      ackRegressions,
      ackLatencyMs: lat(true),
      offlineAckLatencyMs: lat(false),
      healMs,
      convergenceMs,
      finalRows: s.rowCount(),
      deletedRows: s.deletedRows().length,
      columns: s.columns().length,
      writes,
      ...(extra ? { extra: extra.figures() } : {}),
      durationMs: Date.now() - t0,
      failures,
    }
  } finally {
    fresh?.destroy()
    await extra?.dispose().catch(() => undefined)
    await fleet.dispose()
  }
}
