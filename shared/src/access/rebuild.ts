/**
 * Recovery after a refusal (issue 16 §3, docs/ARCHITECTURE.md "Recovery after a refusal"). A refused
 * update is never applied by the server, and every later update of the same Yjs client builds on it
 * (clocks are sequential per client), so the client cannot simply drop the refused part: it starts a
 * new doc from the server's state (new client id) and re-applies, as new edits, each of its pending
 * changes that the rules allow against that state; the others go to the 未被接受的修改 list.
 *
 * Pending = `encodeStateAsUpdate(local, serverStateVector)`: exactly the structs of this device the
 * server does not have. Anything the server has (every acknowledged edit, and everything of other
 * clients) is in the rebuilt doc because the rebuilt doc *is* the server's state. The values to
 * re-apply are read from `merged` = server state + pending (what the local doc would converge to if
 * the server had accepted everything), so a later local edit of a cell wins over an earlier one, and
 * a row inserted then deleted offline comes back as nothing. Pure (yjs and shared only).
 */
import * as Y from 'yjs'
import { ROOT_LEDGER } from '../model/keys.js'
import type { Author } from '../model/types.js'
import { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { ROOT_ACCESS } from './accessDoc.js'
import { type Change, createAccessChecker, type Decision } from './checkChange.js'
import { classifyUpdate } from './classifyUpdate.js'
import { NOT_REAPPLIED_MESSAGES, type RefusedEdit, rowLabel } from './refusedEdits.js'
import type { AccessIdentity } from './roles.js'

export interface RebuildInput {
  /** The server's full state (`encodeStateAsUpdate` of a doc synced from it). */
  serverState: Uint8Array
  /** This device's doc, with its pending changes. */
  local: Y.Doc
  who: AccessIdentity
  /** Whose name the re-applied edits carry in the edit log. */
  author: Author
  now: number
}

export interface RebuildResult {
  /** The rebuilt doc: the server's state plus the re-applied changes, under a new client id. */
  doc: Y.Doc
  /** Changes re-applied as new edits (as classified). */
  reapplied: Change[]
  /** Changes kept in the refused list. */
  refused: RefusedEdit[]
  /** Keys of re-applied cells (`sheet\0row\0col`), for "not yet acknowledged" markers. */
  reappliedCells: string[]
  /** Bytes of pending structs the local doc had over the server's state. */
  pendingBytes: number
}

/** What this device has that the server does not: an update, empty when nothing is pending. */
export function pendingOverServer(local: Y.Doc, serverStateVector: Uint8Array): Uint8Array {
  return Y.encodeStateAsUpdate(local, serverStateVector)
}

type Refuse = Omit<RefusedEdit, 'reason' | 'message' | 'at'>

export function rebuildFromServer(input: RebuildInput): RebuildResult {
  const { who, now } = input
  const doc = new Y.Doc()
  Y.applyUpdate(doc, input.serverState)
  const opened = Workbook.open(doc, { author: input.author, now: () => now })
  const wb = opened.workbook
  const pending = pendingOverServer(input.local, Y.encodeStateVector(doc))

  // Server state + pending, observed to learn which access and ledger keys pending writes.
  const mergedDoc = new Y.Doc()
  Y.applyUpdate(mergedDoc, input.serverState)
  const touched = { access: new Set<string>(), ledger: new Set<string>() }
  const watch = (root: 'access' | 'ledger') => (e: Y.YMapEvent<unknown>) => {
    for (const k of e.keysChanged) touched[root].add(k)
  }
  const onAccess = watch('access')
  const onLedger = watch('ledger')
  mergedDoc.getMap(ROOT_ACCESS).observe(onAccess)
  mergedDoc.getMap(ROOT_LEDGER).observe(onLedger)
  const changes = classifyUpdate(wb, pending)
  Y.applyUpdate(mergedDoc, pending)
  mergedDoc.getMap(ROOT_ACCESS).unobserve(onAccess)
  mergedDoc.getMap(ROOT_LEDGER).unobserve(onLedger)
  const merged = Workbook.open(mergedDoc, { author: input.author, now: () => now }).workbook

  const checker = createAccessChecker(wb)
  const reapplied: Change[] = []
  const refused: RefusedEdit[] = []
  const reappliedCells: string[] = []
  const keep = (base: Refuse, d: Decision | null) => {
    if (d && !d.ok) {
      const e: RefusedEdit = { ...base, reason: d.reason, message: d.message, at: now }
      if (d.lock) e.lock = d.lock
      refused.push(e)
    } else {
      refused.push({
        ...base,
        reason: 'not-reapplied',
        message: NOT_REAPPLIED_MESSAGES['not-reapplied'],
        at: now,
      })
    }
  }
  const sheetName = (sheetId: string | undefined) =>
    sheetId && merged.hasSheet(sheetId) ? merged.sheet(sheetId).name : undefined
  const colName = (sheetId: string, colId: string) =>
    merged.hasSheet(sheetId) ? merged.sheet(sheetId).column(colId)?.name : undefined
  /** Runs a write on the rebuilt workbook; a write that throws (its place is gone) is kept instead. */
  const attempt = (c: Change, base: Refuse, write: () => void) => {
    if (opened.readOnly) return keep(base, null)
    const d = checker.check(who, c, now)
    if (!d.ok) return keep(base, d)
    try {
      write()
      reapplied.push(c)
    } catch {
      keep(base, null)
    }
  }

  // 1. Access records and definitions first: a reopen or a rule in the same pending batch decides
  //    what the data changes after it may do, as it would have on the server.
  for (const root of ['access', 'ledger'] as const) {
    const from = mergedDoc.getMap(root === 'access' ? ROOT_ACCESS : ROOT_LEDGER)
    const to = doc.getMap(root === 'access' ? ROOT_ACCESS : ROOT_LEDGER)
    for (const key of touched[root]) {
      const json = from.get(key)
      if (JSON.stringify(json) === JSON.stringify(to.get(key))) continue
      const c = keyChange(root, key)
      const base: Refuse = { id: `key|${root}|${key}`, kind: c.kind, root, key }
      if (c.kind === 'lock') base.sheetId = c.sheetId
      if (json !== undefined) base.json = json
      attempt(c, base, () =>
        wb.transact(() => {
          if (json === undefined) to.delete(key)
          else to.set(key, JSON.parse(JSON.stringify(json)))
        }),
      )
    }
  }

  // 2. Structure: re-applying sheets and columns is not automated; an owner's allowed structure
  //    change is kept in the list ("not re-applied"), a refused one with its reason.
  for (const c of changes) {
    if (c.kind === 'structure') {
      const base: Refuse = { id: `structure|${c.what}|${c.sheetId ?? ''}`, kind: c.kind }
      if (c.sheetId) {
        base.sheetId = c.sheetId
        const n = sheetName(c.sheetId)
        if (n !== undefined) base.sheetName = n
      }
      keep(base, checker.check(who, c, now))
    } else if (c.kind === 'unresolved') {
      refused.push({
        id: 'unresolved',
        kind: 'unresolved',
        reason: 'unresolved',
        message: NOT_REAPPLIED_MESSAGES.unresolved,
        at: now,
      })
    }
  }

  // 3. New rows, in the merged order, each after its nearest earlier neighbour the rebuilt sheet has.
  const inserted = new Map<string, string>() // merged row id → rebuilt row id
  const inserts = changes.filter(
    (c): c is Extract<Change, { kind: 'row-insert' }> => c.kind === 'row-insert',
  )
  const bySheet = new Map<string, Set<string>>()
  for (const c of inserts) {
    const s = bySheet.get(c.sheetId) ?? new Set<string>()
    s.add(c.rowId)
    bySheet.set(c.sheetId, s)
  }
  for (const [sheetId, ids] of bySheet) {
    if (!merged.hasSheet(sheetId)) continue
    const order = merged.sheet(sheetId).rowIds()
    let prev: string | null = null
    for (const rowId of order) {
      if (!ids.has(rowId)) {
        if (wb.hasSheet(sheetId) && wb.sheet(sheetId).hasRow(rowId)) prev = rowId
        continue
      }
      const values = liveCells(merged, sheetId, rowId)
      const c: Change = { kind: 'row-insert', sheetId, rowId, values }
      const base: Refuse = {
        id: `ins|${sheetId}|${rowId}`,
        kind: 'row-insert',
        sheetId,
        rowId,
        row: rowLabel(merged, sheetId, rowId),
        values,
      }
      const n = sheetName(sheetId)
      if (n !== undefined) base.sheetName = n
      const after = prev
      attempt(c, base, () => {
        const [id] = wb.sheet(sheetId).insertRows([values], after ? { after } : {})
        if (id) {
          inserted.set(rowId, id)
          prev = id
          for (const col of Object.keys(values)) reappliedCells.push(cellKey(sheetId, id, col))
        }
      })
    }
  }

  // 4. Cell edits of rows the server has (edits of new rows are part of their insert).
  for (const c of changes) {
    if (c.kind !== 'cell') continue
    if (!merged.hasSheet(c.sheetId)) continue
    const value = merged.sheet(c.sheetId).getCell(c.rowId, c.colId)
    const rebuiltHas = wb.hasSheet(c.sheetId) && wb.sheet(c.sheetId).getAnyRow(c.rowId)
    const old = rebuiltHas ? wb.sheet(c.sheetId).getCell(c.rowId, c.colId) : null
    if (rebuiltHas && old === value) continue
    const base: Refuse = {
      id: `cell|${c.sheetId}|${c.rowId}|${c.colId}`,
      kind: 'cell',
      sheetId: c.sheetId,
      rowId: c.rowId,
      row: rowLabel(merged, c.sheetId, c.rowId),
      colId: c.colId,
      oldValue: old,
      newValue: value,
    }
    const sn = sheetName(c.sheetId)
    if (sn !== undefined) base.sheetName = sn
    const cn = colName(c.sheetId, c.colId)
    if (cn !== undefined) base.colName = cn
    const change: Change = { ...c, value }
    if (!rebuiltHas) {
      keep(base, null)
      continue
    }
    attempt(change, base, () => {
      wb.sheet(c.sheetId).setCell(c.rowId, c.colId, value)
      reappliedCells.push(cellKey(c.sheetId, c.rowId, c.colId))
    })
  }

  // 5. Moves and deletions of rows the server has.
  for (const c of changes) {
    if (c.kind !== 'row-move' && c.kind !== 'row-delete') continue
    if (inserted.has(c.rowId) || !wb.hasSheet(c.sheetId) || !merged.hasSheet(c.sheetId)) continue
    const sheet = wb.sheet(c.sheetId)
    if (!sheet.hasRow(c.rowId)) continue
    const base: Refuse = {
      id: `${c.kind === 'row-move' ? 'move' : 'del'}|${c.sheetId}|${c.rowId}`,
      kind: c.kind,
      sheetId: c.sheetId,
      rowId: c.rowId,
      row: rowLabel(wb, c.sheetId, c.rowId),
    }
    const sn = sheetName(c.sheetId)
    if (sn !== undefined) base.sheetName = sn
    if (c.kind === 'row-delete') {
      if (merged.sheet(c.sheetId).hasRow(c.rowId)) continue
      attempt(c, base, () => sheet.deleteRows([c.rowId]))
    } else {
      const order = merged.sheet(c.sheetId).rowIds()
      const i = order.indexOf(c.rowId)
      let after: string | null = null
      for (let j = i - 1; j >= 0; j--) {
        const id = order[j] as string
        const mapped = inserted.get(id) ?? id
        if (sheet.hasRow(mapped)) {
          after = mapped
          break
        }
      }
      if (i < 0) continue
      attempt(c, base, () => {
        const first = sheet.rowIds()[0]
        if (after) sheet.moveRows([c.rowId], { after })
        else if (first && first !== c.rowId) sheet.moveRows([c.rowId], { before: first })
      })
    }
  }

  checker.dispose()
  merged.destroy()
  mergedDoc.destroy()
  wb.destroy()
  return { doc, reapplied, refused, reappliedCells, pendingBytes: pending.byteLength }
}

const cellKey = (sheetId: string, rowId: string, colId: string) =>
  `${sheetId}\u0000${rowId}\u0000${colId}`

function liveCells(wb: Workbook, sheetId: string, rowId: string): Record<string, CellValue> {
  const cells = wb.sheet(sheetId).getRow(rowId)?.cells ?? {}
  const out: Record<string, CellValue> = {}
  for (const [c, v] of Object.entries(cells)) if (v !== null && v !== undefined) out[c] = v
  return out
}

function keyChange(root: 'access' | 'ledger', key: string): Change {
  if (root === 'access') {
    if (/^(lock|exception|autolock):/.test(key)) {
      const sheetId = key.slice(key.indexOf(':') + 1).split('|')[0] ?? ''
      return { kind: 'lock', sheetId }
    }
    return { kind: 'rules' }
  }
  const i = key.indexOf(':')
  return {
    kind: 'definition',
    defKind: i > 0 ? key.slice(0, i) : key,
    id: key.slice(i + 1),
  }
}
