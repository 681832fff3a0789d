import * as Y from 'yjs'
import { assert } from '../model/assert.js'
import { seededRandom as prng } from '../model/ids.js'
import { Workbook } from '../model/workbook.js'
import type { CellValue, ColumnType } from '../schema/columnTypes.js'
import { applyRandomOp, type OpLimits, pick, type Rand } from './opTable.js'

export { OP_TYPES, pick, type Rand } from './opTable.js'

/**
 * A seeded random-operation convergence harness in the spirit of Yjs's `applyRandomTests`:
 * replicas run random operations from the real vocabulary and exchange updates through a
 * hand-flushed relay that reorders, duplicates, delays and drops (while disconnected).
 */
export interface ConvergenceOptions {
  seed: number
  replicas: number
  ops: number
  /** Probability that a step disconnects or reconnects a replica. */
  churn?: number
}

export interface ConvergenceReport {
  seed: number
  ops: Record<string, number>
  rows: number
  updates: number
}

const RELAY = { kind: 'relay' } as const
/** The convergence test's bounds on the shared operation table (opTable.ts). */
const CONVERGENCE_LIMITS: OpLimits = {
  minRows: 0,
  maxColumns: Number.POSITIVE_INFINITY,
  minColumns: 1,
  importRows: 20,
  bulkRows: 500,
  deletedRowEdit: 0.05,
}

interface Replica {
  doc: Y.Doc
  wb: Workbook
  undo: Y.UndoManager
  online: boolean
  inbox: Uint8Array[]
  outbox: Uint8Array[]
}

/**
 * A random value of the column's type (never null): integers below `integerMax`, text from
 * `text()` (called last, so the draws before it are the same for every caller).
 */
export function randomTypedValue(
  rand: Rand,
  type: ColumnType,
  integerMax: number,
  text: () => string,
): CellValue {
  switch (type) {
    case 'number':
    case 'money':
      return Math.round((rand() - 0.3) * 1e6) / 100
    case 'integer':
      return Math.floor(rand() * integerMax)
    case 'percent':
      return Math.round(rand() * 1000) / 1000
    case 'date':
      return `2024-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`
    case 'boolean':
      return rand() < 0.5
    default:
      return text()
  }
}

function randomValue(rand: Rand, type: ColumnType): CellValue {
  if (rand() < 0.08) return null
  return randomTypedValue(
    rand,
    type,
    5000,
    () =>
      pick(rand, ['朝歌街道社工站', '殷行街道', '新光源', 'x', '服务人次', '63.7%']) +
      String(Math.floor(rand() * 100)),
  )
}

/** A snapshot of everything a user can see, independent of internal ids' iteration order. */
export function snapshot(wb: Workbook): unknown {
  return wb.listSheets().map((info) => {
    const s = wb.sheet(info.id)
    const columns = s.columns()
    return {
      info,
      columns,
      // Cells in column order, so the comparison ignores object key order.
      rows: s.readRows().map((r) => [r.id, ...columns.map((c) => r.cells[c.id] ?? null)]),
      deleted: s
        .deletedRows()
        .map((d) => d.id)
        .sort(),
    }
  })
}

/**
 * What the history shows, for comparing replicas: every sheet's unsettled conflicts, its trash,
 * and the histories of a bounded, deterministic sample of cells (the first and last 20 distinct
 * cells in log order) and rows (the first 20 visible and every deleted one).
 */
export function historySnapshot(wb: Workbook): unknown {
  const trash = wb.history.trash()
  return {
    unsettled: wb.history.unsettled().map((c) => [c.sheetId, c.id, c.rowId, c.colId, c.lost.value]),
    trash: {
      sheets: trash.sheets,
      bySheet: trash.bySheet.map((t) => ({
        sheetId: t.sheetId,
        rows: t.rows.map((r) => [r.id, r.by, r.at, r.editsWhileDeleted.map((e) => e.editId)]),
        columns: t.columns.map((r) => [r.id, r.by, r.at, r.editsWhileDeleted.length]),
      })),
    },
    sheets: wb.listSheets().map((info) => {
      const s = wb.sheet(info.id)
      const cells: string[][] = []
      const seen = new Set<string>()
      for (const e of s.history.log()) {
        const k = `${e.rowId}:${e.colId}`
        if (seen.has(k)) continue
        seen.add(k)
        cells.push([e.rowId, e.colId])
      }
      const sample = cells.length <= 40 ? cells : [...cells.slice(0, 20), ...cells.slice(-20)]
      const rows = [...s.rowIds().slice(0, 20), ...s.deletedRows().map((d) => d.id)]
      return {
        cells: sample.map(([r, c]) => s.history.cell(r!, c!)),
        rows: rows.map((r) => s.history.row(r)),
      }
    }),
  }
}

export function runConvergence(opts: ConvergenceOptions): ConvergenceReport {
  const rand = prng(opts.seed)
  const churn = opts.churn ?? 0.02
  const allUpdates: Uint8Array[] = []
  const counts: Record<string, number> = {}
  const count = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1
  }

  // Replica 0 creates the workbook and one sheet; the others start from its first state.
  const replicas: Replica[] = []
  // The hub stands for the sync server: it receives every update the moment it is sent, and a
  // reconnecting replica catches up with it by a state-vector exchange (sync step 1/2).
  const hub = new Y.Doc()
  for (let i = 0; i < opts.replicas; i++) {
    const doc = new Y.Doc()
    doc.clientID = i + 1
    const author = { id: `u${i}`, name: `用户${i}` }
    let t = 1_700_000_000_000 + i
    const clock = () => (t += 7)
    let wb: Workbook
    if (i === 0) {
      wb = Workbook.create(doc, {
        title: 'conv',
        random: prng(opts.seed * 31 + i),
        now: clock,
        author,
      })
      const s = wb.sheet(wb.addSheet('站点', { id: 'sheet0' }))
      s.addColumn({ name: '站点名称', type: 'text', id: 'colname' })
      s.insertRows(Array.from({ length: 5 }, (_, k) => ({ colname: `站${k}` })))
    } else {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(replicas[0]!.doc), RELAY)
      wb = Workbook.open(doc, { random: prng(opts.seed * 31 + i), now: clock, author }).workbook
    }
    const r: Replica = {
      doc,
      wb,
      undo: wb.createUndoManager(),
      online: true,
      inbox: [],
      outbox: [],
    }
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === RELAY) return
      allUpdates.push(u)
      if (r.online) broadcast(r, u)
      else r.outbox.push(u)
    })
    replicas.push(r)
  }
  allUpdates.push(Y.encodeStateAsUpdate(replicas[0]!.doc))
  Y.applyUpdate(hub, Y.encodeStateAsUpdate(replicas[0]!.doc), RELAY)

  function broadcast(from: Replica, u: Uint8Array) {
    Y.applyUpdate(hub, u, RELAY)
    for (const r of replicas) if (r !== from && r.online) r.inbox.push(u)
  }

  function syncPair(r: Replica, o: { doc: Y.Doc }) {
    Y.applyUpdate(o.doc, Y.encodeStateAsUpdate(r.doc, Y.encodeStateVector(o.doc)), RELAY)
    Y.applyUpdate(r.doc, Y.encodeStateAsUpdate(o.doc, Y.encodeStateVector(r.doc)), RELAY)
  }

  function deliverSome(r: Replica) {
    const n = 1 + Math.floor(rand() * 4)
    for (let k = 0; k < n && r.inbox.length > 0; k++) {
      // Mostly oldest first, sometimes any: out-of-order delivery leaves pending structs that Yjs
      // re-merges on every later apply, so fully random order mostly measures that cost.
      const i = rand() < 0.9 ? 0 : Math.floor(rand() * r.inbox.length)
      const u = r.inbox[i]!
      if (rand() > 0.05) r.inbox.splice(i, 1) // 5%: leave it to be delivered again (duplicate)
      Y.applyUpdate(r.doc, u, RELAY)
    }
  }

  function randomOp(r: Replica) {
    count(
      applyRandomOp({
        rand,
        wb: r.wb,
        undo: r.undo,
        sheet: () => {
          const info = pick(rand, r.wb.listSheets())
          return info ? r.wb.sheet(info.id) : undefined
        },
        value: (type) => randomValue(rand, type),
        writeCells: (s, edits) => s.setCells(edits),
        tag: '',
        limits: CONVERGENCE_LIMITS,
      }),
    )
  }

  for (let step = 0; step < opts.ops; step++) {
    const r = pick(rand, replicas)!
    const y = rand()
    if (y < churn) {
      if (r.online) {
        r.online = false
        count('disconnect')
      } else {
        r.online = true
        for (const u of r.outbox) broadcast(r, u)
        r.outbox = []
        // Like a client reconnecting to the server: a sync-step exchange with the hub.
        syncPair(r, { doc: hub })
        count('reconnect')
      }
      continue
    }
    randomOp(r)
    if (r.online) for (const o of replicas) if (o.online && rand() < 0.5) deliverSome(o)
  }

  // Heal the network: everyone online, drain inboxes, then a state-vector exchange.
  for (const r of replicas) {
    if (!r.online) {
      r.online = true
      for (const u of r.outbox) broadcast(r, u)
      r.outbox = []
    }
  }
  for (const r of replicas) while (r.inbox.length > 0) deliverSome(r)
  for (const r of replicas) syncPair(r, { doc: hub })

  // Checks.
  const first = replicas[0]!
  const sv0 = Y.encodeStateVector(first.doc)
  assert(
    Buffer.compare(Buffer.from(Y.encodeStateVector(hub)), Buffer.from(sv0)) === 0,
    `seed ${opts.seed}: the hub's state vector differs`,
  )
  const snap0 = JSON.stringify(snapshot(first.wb))
  const hist0 = JSON.stringify(historySnapshot(first.wb))
  for (const r of replicas) {
    assert(r.doc.store.pendingStructs === null, `seed ${opts.seed}: pending structs`)
    assert(r.doc.store.pendingDs === null, `seed ${opts.seed}: pending delete set`)
    assert(
      Buffer.compare(Buffer.from(Y.encodeStateVector(r.doc)), Buffer.from(sv0)) === 0,
      `seed ${opts.seed}: state vectors differ`,
    )
    const snap = JSON.stringify(snapshot(r.wb))
    assert(snap === snap0, `seed ${opts.seed}: replica ${r.doc.clientID} differs`)
    assert(
      JSON.stringify(historySnapshot(r.wb)) === hist0,
      `seed ${opts.seed}: replica ${r.doc.clientID}'s conflicts or histories differ`,
    )
    checkInvariants(r.wb, opts.seed)
  }
  // The incrementally maintained index equals a from-scratch open of the same state.
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, Y.mergeUpdates(allUpdates))
  assert(
    fresh.store.pendingStructs === null,
    `seed ${opts.seed}: merged updates leave pending structs`,
  )
  const freshWb = Workbook.open(fresh).workbook
  assert(JSON.stringify(snapshot(freshWb)) === snap0, `seed ${opts.seed}: merged doc differs`)
  assert(
    JSON.stringify(historySnapshot(freshWb)) === hist0,
    `seed ${opts.seed}: merged doc's conflicts or histories differ`,
  )
  let rows = 0
  for (const info of first.wb.listSheets()) rows += first.wb.sheet(info.id).rowCount()
  return { seed: opts.seed, ops: counts, rows, updates: allUpdates.length }
}

function checkInvariants(wb: Workbook, seed: number): void {
  for (const info of wb.listSheets()) {
    const s = wb.sheet(info.id)
    const ids = s.rowIds()
    assert(new Set(ids).size === ids.length, `seed ${seed}: duplicate row ids`)
    for (let i = 1; i < ids.length; i++) {
      const a = s.index.orderKey(ids[i - 1]!)!
      const b = s.index.orderKey(ids[i]!)!
      assert(a < b || (a === b && ids[i - 1]! < ids[i]!), `seed ${seed}: order not total`)
    }
    const live = new Set(s.columns().map((c) => c.id))
    for (const r of s.readRows()) {
      for (const c in r.cells) assert(live.has(c), `seed ${seed}: orphan cell ${c}`)
    }
    for (const d of s.deletedRows())
      assert(!ids.includes(d.id), `seed ${seed}: deleted row visible`)
  }
}
