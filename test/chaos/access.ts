/**
 * Chaos with access rules (issue 16 §4): the real `taizhang serve`, an owner who builds a monthly
 * ledger of a few stations, one scoped-editor client per station and an approver, all real
 * y-websocket clients with acknowledgements. Round after round some clerks go offline and edit
 * their own rows (asking their local checker first, as the web UI does), while the approver locks
 * and reopens months; back online, a clerk whose update is refused recovers exactly as the web
 * client does (server state over a second connection, `rebuildFromServer`, reconnect with the
 * rebuilt doc, the refused edits into its list). At the end the approver reopens every month and
 * each clerk re-applies its list. Checks: every replica and a fresh reader converge with no pending
 * structs; every acknowledged edit is present (or superseded by a later edit of the same cell, which
 * only its station's clerk writes); every last-typed value that the server lacks is in its author's
 * list; after the re-apply phase, every cell holds its clerk's last typed value.
 */
import {
  ACK_PARAMS,
  type AccessIdentity,
  type CellValue,
  createAccessChecker,
  installAckHandler,
  MESSAGE_TYPE,
  mergeRefused,
  type RefusedEdit,
  readLockRecord,
  reapplyRefused,
  rebuildFromServer,
  saveCompletenessSettings,
  setPeriodLock,
  Workbook,
} from '../../shared/src/index.js'
import { WebsocketProvider, type WebsocketProviderT, WS, Y, type YDoc } from './deps.js'
import { waitUntil } from './harness.js'
import { pick, prng, type Rand } from './ops.js'
import { ChaosServer } from './server.js'

type ProviderOptions = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>

const WORKBOOK = 'chaos-access'
const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04']
const SETTLE_MS = 30_000

/** One edit a clerk typed: the cell, the value, and the Yjs (client, clock) that carried it. */
interface Typed {
  key: string
  row: string
  value: number
  client: number
  clock: number
}

class Replica {
  doc: YDoc
  provider!: WebsocketProviderT
  wb!: Workbook
  durable = new Map<number, number>()
  refusedPending = false
  refusals = 0
  recoveries = 0
  offline = false
  list: RefusedEdit[] = []
  readonly typed: Typed[] = []

  constructor(
    readonly name: string,
    readonly who: AccessIdentity,
    readonly token: string,
    readonly wsBase: string,
    doc: YDoc = new Y.Doc(),
  ) {
    this.doc = doc
    this.connect()
  }

  private connect(): void {
    const p = new WebsocketProvider(this.wsBase, WORKBOOK, this.doc, {
      WebSocketPolyfill: WS.WebSocket as unknown as ProviderOptions['WebSocketPolyfill'],
      params: { ...ACK_PARAMS, token: this.token },
      disableBc: true,
      maxBackoffTime: 400,
    })
    this.provider = p
    this.durable = new Map()
    installAckHandler(p, (sv) => {
      this.durable = sv
    })
    p.messageHandlers[2] = () => undefined
    // As web/src/doc/openWorkbook.ts: a refusal stops the socket until the doc is rebuilt.
    p.messageHandlers[MESSAGE_TYPE.refused] = () => {
      this.refusals++
      this.refusedPending = true
      queueMicrotask(() => p.disconnect())
    }
  }

  open(): Workbook {
    this.wb = Workbook.open(this.doc, { author: { id: this.name, name: this.name } }).workbook
    return this.wb
  }

  get acked(): boolean {
    return (
      (this.durable.get(this.doc.clientID) ?? 0) >= Y.getState(this.doc.store, this.doc.clientID)
    )
  }

  get settled(): boolean {
    return (
      !this.offline &&
      !this.refusedPending &&
      this.provider.wsconnected &&
      this.provider.synced &&
      this.acked
    )
  }

  goOffline(): void {
    this.offline = true
    this.provider.disconnect()
  }

  goOnline(): void {
    this.offline = false
    if (!this.refusedPending) this.provider.connect()
  }

  /** The web client's recovery (web/src/access/recovery/recover.ts) on a Node client. */
  async recover(): Promise<void> {
    const fetched = new Y.Doc()
    const fetcher = new WebsocketProvider(this.wsBase, WORKBOOK, fetched, {
      WebSocketPolyfill: WS.WebSocket as unknown as ProviderOptions['WebSocketPolyfill'],
      params: { token: this.token },
      disableBc: true,
    })
    const ok = await waitUntil(() => fetcher.synced, SETTLE_MS)
    const serverState = Y.encodeStateAsUpdate(fetched)
    fetcher.destroy()
    fetched.destroy()
    if (!ok) throw new Error(`${this.name}: the server's state never arrived`)
    const r = rebuildFromServer({
      serverState,
      local: this.doc,
      who: this.who,
      author: { id: this.name, name: this.name },
      now: Date.now(),
    })
    this.provider.destroy()
    this.wb.destroy()
    this.doc.destroy()
    this.doc = r.doc
    this.list = mergeRefused(this.list, r.refused)
    this.refusedPending = false
    this.recoveries++
    this.connect()
    this.open()
  }

  destroy(): void {
    this.provider.destroy()
    this.wb?.destroy()
    this.doc.destroy()
  }
}

export interface AccessChaosResults {
  seed: number
  edits: number
  offlineEdits: number
  locksToggled: number
  refusals: number
  recoveries: number
  listed: number
  reapplied: number
  failures: string[]
}

export async function runAccessChaos(opts: {
  seed: number
  stations?: number
  rounds?: number
  editsPerRound?: number
  log?: (l: string) => void
}): Promise<AccessChaosResults> {
  const rand: Rand = prng(opts.seed)
  const nStations = opts.stations ?? 3
  const rounds = opts.rounds ?? 6
  const perRound = opts.editsPerRound ?? 6
  const log = opts.log ?? (() => {})
  const failures: string[] = []
  const server = await ChaosServer.create()
  const replicas: Replica[] = []
  const res: AccessChaosResults = {
    seed: opts.seed,
    edits: 0,
    offlineEdits: 0,
    locksToggled: 0,
    refusals: 0,
    recoveries: 0,
    listed: 0,
    reapplied: 0,
    failures,
  }
  try {
    await server.start()
    const stationNames = Array.from({ length: nStations }, (_, i) => `社工站${i}`)
    const owner = new Replica(
      'owner',
      { role: 'owner', name: '局长' },
      await server.token('owner', '局长'),
      server.wsBase,
    )
    replicas.push(owner)
    if (!(await waitUntil(() => owner.provider.synced, SETTLE_MS))) throw new Error('owner sync')
    // The ledger: a stations sheet, a monthly sheet of one row per station and month.
    const wb = Workbook.create(owner.doc, { title: '月报', author: { id: 'o', name: '局长' } })
    owner.wb = wb
    const st = wb.sheet(wb.addSheet('站点'))
    const nameCol = st.addColumn({ name: '站点名称', type: 'text' })
    const stationRows = st.insertRows(stationNames.map((n) => ({ [nameCol]: n })))
    const m = wb.sheet(wb.addSheet('指标'))
    const stationCol = m.addColumn({
      name: '站点',
      type: 'reference',
      format: { refSheet: st.id, refColumn: nameCol },
    })
    const periodCol = m.addColumn({
      name: '期间',
      type: 'period',
      format: { granularity: 'month' },
    })
    const served = m.addColumn({ name: '服务人次', type: 'integer' })
    const rowsOf = new Map<number, string[]>()
    const initial = new Map<string, CellValue>()
    stationRows.forEach((sr, i) => {
      const ids = m.insertRows(
        MONTHS.map((p, k) => ({ [stationCol]: sr, [periodCol]: p, [served]: i * 100 + k })),
      )
      rowsOf.set(i, ids)
      ids.forEach((id, k) => initial.set(id, i * 100 + k))
    })
    saveCompletenessSettings(wb, {
      sheetId: m.id,
      stationColumn: stationCol,
      periodColumn: periodCol,
      granularity: 'month',
      required: [served],
      from: MONTHS[0]!,
      to: MONTHS[MONTHS.length - 1]!,
    })
    if (!(await waitUntil(() => owner.acked, SETTLE_MS))) throw new Error('ledger never acked')

    const approver = new Replica(
      'approver',
      { role: 'approver', name: '审核员' },
      await server.token('approver', '审核员'),
      server.wsBase,
    )
    replicas.push(approver)
    const clerks: Replica[] = []
    for (let i = 0; i < nStations; i++) {
      const name = stationNames[i]!
      const who: AccessIdentity = { role: 'scoped-editor', name, scope: { station: name } }
      const token = await server.token('scoped-editor', name, ['--scope-station', name])
      const c = new Replica(`clerk${i}`, who, token, server.wsBase)
      clerks.push(c)
      replicas.push(c)
    }
    const synced = await waitUntil(
      () => replicas.every((r) => r.provider.synced && r.doc.getMap('sheets').size === 2),
      SETTLE_MS,
    )
    if (!synced) throw new Error('replicas never synced the ledger')
    for (const r of replicas.slice(1)) r.open()

    const month = (row: string) => MONTHS[indexIn(row)]
    const indexIn = (row: string) => {
      for (const ids of rowsOf.values()) {
        const k = ids.indexOf(row)
        if (k >= 0) return k
      }
      return 0
    }

    /** Brings everyone online and recovers every refused replica until all are settled. */
    const settle = async (what: string) => {
      for (const r of replicas) r.goOnline()
      const end = Date.now() + SETTLE_MS
      while (Date.now() < end) {
        for (const r of replicas) if (r.refusedPending) await r.recover()
        if (replicas.every((r) => r.settled) && sameState(replicas)) return true
        await new Promise((r) => setTimeout(r, 25))
      }
      failures.push(`${what}: not settled within ${SETTLE_MS} ms`)
      return false
    }

    /** A clerk edits one of its rows if its local checker allows it (the UI offers nothing else). */
    const edit = (c: Replica, i: number) => {
      const row = pick(rand, rowsOf.get(i)!) as string
      const value = Math.floor(rand() * 10_000)
      const checker = createAccessChecker(c.wb)
      const d = checker.check(
        c.who,
        { kind: 'cell', sheetId: m.id, rowId: row, colId: served, value },
        Date.now(),
      )
      checker.dispose()
      if (!d.ok) return
      c.wb.sheet(m.id).setCell(row, served, value)
      c.typed.push({
        key: `${m.id}|${row}|${served}`,
        row,
        value,
        client: c.doc.clientID,
        clock: Y.getState(c.doc.store, c.doc.clientID),
      })
      res.edits++
      if (c.offline) res.offlineEdits++
    }

    for (let round = 0; round < rounds; round++) {
      const offline = clerks.filter(() => rand() < 0.6)
      if (offline.length === 0) offline.push(pick(rand, clerks) as Replica)
      for (const c of offline) c.goOffline()
      for (let e = 0; e < perRound; e++) {
        clerks.forEach((c, i) => edit(c, i))
        // The approver locks or reopens a month while the offline clerks cannot see it.
        if (e % 2 === 1) {
          const p = pick(rand, MONTHS) as string
          const locked = readLockRecord(approver.wb, m.id, p)?.locked === true
          setPeriodLock(approver.wb, m.id, p, { locked: !locked, by: '审核员', at: Date.now() })
          res.locksToggled++
        }
        await new Promise((r) => setTimeout(r, 5))
      }
      await settle(`round ${round}`)
      log(
        `round ${round}: ${offline.map((c) => c.name).join(',')} offline; refusals ${clerks.map((c) => c.refusals).join('/')}`,
      )
    }

    const lastTyped = (c: Replica) => {
      const out = new Map<string, Typed>()
      for (const t of c.typed) out.set(t.key, t)
      return out
    }

    // Every acknowledged edit is present or superseded by a later edit of its cell; every last
    // typed value the server does not hold is in its author's list.
    const fresh = await freshReader(server, owner.token)
    const sv = Y.decodeStateVector(Y.encodeStateVector(fresh.doc))
    for (const c of clerks) {
      const byKey = new Map<string, Typed[]>()
      for (const t of c.typed) byKey.set(t.key, [...(byKey.get(t.key) ?? []), t])
      for (const [key, ts] of byKey) {
        const row = ts[0]!.row
        const now = fresh.wb.sheet(m.id).getCell(row, served)
        let lastAcked = -1
        ts.forEach((t, i) => {
          if ((sv.get(t.client) ?? 0) >= t.clock) lastAcked = i
        })
        const allowed = new Set<CellValue>(ts.slice(Math.max(0, lastAcked)).map((t) => t.value))
        if (lastAcked < 0) allowed.add(initial.get(row) ?? null)
        if (!allowed.has(now))
          failures.push(`${c.name} ${key}: server has ${now}, acked edit lost (${month(row)})`)
        const last = ts[ts.length - 1]!
        if (
          now !== last.value &&
          !c.list.some((e) => e.id === `cell|${key}` && e.newValue === last.value)
        )
          failures.push(`${c.name} ${key}: typed ${last.value} neither on the server nor listed`)
      }
      res.listed += c.list.length
    }
    await checkConverged(replicas, fresh, failures, 'after the rounds')
    fresh.destroy()

    // The bureau reopens every month; each clerk re-applies the entries that hold its last typed
    // value of a cell (older ones it removes, as a user would), and everything settles.
    for (const p of MONTHS)
      setPeriodLock(approver.wb, m.id, p, { locked: false, by: '审核员', at: Date.now() })
    await settle('reopen')
    for (const c of clerks) {
      const last = lastTyped(c)
      const checker = createAccessChecker(c.wb)
      const keep: RefusedEdit[] = []
      for (const e of c.list) {
        const key = e.id.slice('cell|'.length)
        if (e.kind !== 'cell' || last.get(key)?.value !== e.newValue) continue
        const r = reapplyRefused(c.wb, checker, c.who, e, Date.now())
        if (r.ok) res.reapplied++
        else keep.push(e)
      }
      checker.dispose()
      c.list = keep
      if (keep.length > 0)
        failures.push(`${c.name}: ${keep.length} entries still refused after the reopen`)
    }
    await settle('re-apply')
    const final = await freshReader(server, owner.token)
    for (const c of clerks) {
      for (const [key, t] of lastTyped(c)) {
        const v = final.wb.sheet(m.id).getCell(t.row, served)
        if (v !== t.value) failures.push(`${c.name} ${key}: after re-apply ${v}, typed ${t.value}`)
      }
    }
    await checkConverged(replicas, final, failures, 'after the re-apply')
    final.destroy()
    for (const c of clerks) {
      res.refusals += c.refusals
      res.recoveries += c.recoveries
    }
  } finally {
    for (const r of replicas) r.destroy()
    await server.dispose()
  }
  return res
}

async function freshReader(server: ChaosServer, token: string): Promise<Replica> {
  const r = new Replica('reader', { role: 'owner', name: 'reader' }, token, server.wsBase)
  if (!(await waitUntil(() => r.provider.synced && r.doc.getMap('sheets').size === 2, SETTLE_MS)))
    throw new Error('a fresh reader never synced')
  r.open()
  return r
}

function sameState(replicas: Replica[]): boolean {
  const ref = Buffer.from(Y.encodeStateVector(replicas[0]!.doc))
  return replicas.every((r) => Buffer.from(Y.encodeStateVector(r.doc)).equals(ref))
}

async function checkConverged(
  replicas: Replica[],
  fresh: Replica,
  failures: string[],
  when: string,
): Promise<void> {
  // Everyone was settled and equal before the reader connected: it must match at once, but give
  // the fan-out a bounded moment.
  const all = [...replicas, fresh]
  if (!(await waitUntil(() => sameState(all), 5000)))
    failures.push(`${when}: replicas and a fresh reader differ`)
  for (const r of all) {
    if (r.doc.store.pendingStructs !== null || r.doc.store.pendingDs !== null)
      failures.push(`${when}: ${r.name} holds pending structs`)
  }
}
