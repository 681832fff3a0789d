/**
 * The web app's side of issue 16 §3: the same checker the server runs (shared/src/access), asked
 * for the identity the token names, so the grid offers only edits the server will take — offline
 * too, since the rules and locks live in the workbook doc itself.
 *
 * One gate per open workbook, found by the grid features through `accessGateOf(workbook)` (the
 * grid factory is plain TS and does not see the session or its token).
 */
import {
  type AccessIdentity,
  type CellValue,
  type Change,
  completenessSettings,
  createAccessChecker,
  type Decision,
  ROOT_ACCESS,
  Roles,
  type Workbook,
} from '@taizhang/shared'
import type * as Y from 'yjs'
import type { TokenClaims } from '../../doc/token'

/** How a cell shows its access: writable, locked (a period lock), or out of the user's scope. */
export type CellMark = 'locked' | 'out-of-scope' | null

/**
 * A refused write as the view is told of it; `action`: the refused write was an undo or redo step
 * (web/src/access/undo), shown as "无法撤销…" rather than "n 处未修改…".
 */
export type Refusal = Extract<Decision, { ok: false }> & { action?: 'undo' | 'redo' }

export interface AccessGate {
  readonly identity: AccessIdentity
  /** Whether `change` is allowed now. Decisions are cached until the doc next changes. */
  check(change: Change): Decision
  cell(sheetId: string, rowId: string, colId: string): Decision
  /** What a cell shows: a lock, greyed (another station's row, a column not granted), or nothing. */
  mark(sheetId: string, rowId: string, colId: string): CellMark
  /** Sheets, columns, the workbook title: owners only (and editors before any rule exists). */
  canStructure(sheetId?: string): boolean
  canEditRules(): boolean
  canLock(sheetId: string): boolean
  /**
   * Values a new row of `sheetId` starts with so that this user may insert it: a station-scoped
   * editor's rows of a periodic sheet name its station (a blank row belongs to no station and the
   * server would refuse it). Empty for everyone else.
   */
  newRowValues(sheetId: string): Record<string, CellValue>
  /**
   * Called after every doc transaction (any may change a decision); `accessChanged` when it
   * changed the rules, locks or settings themselves (every cell's decision may then differ).
   */
  onChange(fn: (accessChanged: boolean) => void): () => void
  /** A write path skipped `count` changes the rules refuse; the view shows `decision`'s message. */
  reportRefused(count: number, decision: Refusal): void
  onRefused(fn: (count: number, decision: Refusal) => void): () => void
  dispose(): void
}

/**
 * The identity a session acts as. A token names its role (a token from before issue 16 without
 * one is an editor's); a workbook opened with no token at all lives on this device only, and its
 * maker owns it.
 */
export function identityFromClaims(
  claims: TokenClaims | null,
  fallbackName: string,
): AccessIdentity {
  const name = claims?.name?.trim() || fallbackName
  if (!claims) return { role: Roles.owner, name }
  return {
    role: claims.role ?? Roles.editor,
    name,
    ...(claims.user ? { userId: claims.user } : {}),
    ...(claims.scope ? { scope: claims.scope } : {}),
  }
}

export function makeAccessGate(
  wb: Workbook,
  identity: AccessIdentity,
  now: () => number = Date.now,
): AccessGate {
  const checker = createAccessChecker(wb)
  const cache = new Map<string, Decision>()
  const changeFns = new Set<(accessChanged: boolean) => void>()
  const root = wb.doc.getMap(ROOT_ACCESS)
  const refusedFns = new Set<(n: number, d: Refusal) => void>()
  const onTx = (tx: Y.Transaction) => {
    cache.clear()
    // The set's key type is AbstractType<YEvent<any>>; a Y.Map is one (its event type differs).
    const accessChanged = tx.changed.has(root as never)
    for (const fn of [...changeFns]) fn(accessChanged)
  }
  wb.doc.on('afterTransaction', onTx)
  const check = (change: Change): Decision => checker.check(identity, change, now())
  return {
    identity,
    check,
    cell(sheetId, rowId, colId) {
      const key = `${sheetId}\u0000${rowId}\u0000${colId}`
      let d = cache.get(key)
      if (!d) {
        // The decision for the cell as it is: a write of its current value (a condition then
        // sees the row as it is and as it would be, the same row).
        const value = wb.hasSheet(sheetId) ? wb.sheet(sheetId).getCell(rowId, colId) : null
        d = check({ kind: 'cell', sheetId, rowId, colId, value })
        cache.set(key, d)
      }
      return d
    },
    mark(sheetId, rowId, colId) {
      if (identity.role === Roles.viewer) return null
      const d = this.cell(sheetId, rowId, colId)
      if (d.ok) return null
      return d.reason === 'period-locked' ? 'locked' : 'out-of-scope'
    },
    canStructure: (sheetId) =>
      check(
        sheetId
          ? { kind: 'structure', sheetId, what: 'column' }
          : { kind: 'structure', what: 'sheet' },
      ).ok,
    canEditRules: () => check({ kind: 'rules' }).ok,
    canLock: (sheetId) => check({ kind: 'lock', sheetId }).ok,
    newRowValues(sheetId) {
      const station = identity.scope?.station
      const settings = station ? completenessSettings(wb, sheetId) : undefined
      if (!station || !settings || !wb.hasSheet(sheetId)) return {}
      const col = wb.sheet(sheetId).column(settings.stationColumn)
      const ref = col?.format.refSheet
      if (!ref || !wb.hasSheet(ref)) return {}
      // The scope names the station by row id or by its label (as the checker matches it).
      const stations = wb.sheet(ref)
      const labelCol = col.format.refColumn ?? stations.columns()[0]?.id
      const id = stations.hasRow(station)
        ? station
        : stations.rowIds().find((r) => labelCol && stations.getCell(r, labelCol) === station)
      return id ? { [settings.stationColumn]: id } : {}
    },
    onChange(fn) {
      changeFns.add(fn)
      return () => changeFns.delete(fn)
    },
    reportRefused(count, decision) {
      for (const fn of [...refusedFns]) fn(count, decision)
    },
    onRefused(fn) {
      refusedFns.add(fn)
      return () => refusedFns.delete(fn)
    },
    dispose() {
      wb.doc.off('afterTransaction', onTx)
      checker.dispose()
      changeFns.clear()
      refusedFns.clear()
    },
  }
}

const gates = new WeakMap<Workbook, AccessGate>()

/** Makes `gate` the one the grid features of `wb` ask; returns the undo. */
export function setAccessGate(wb: Workbook, gate: AccessGate): () => void {
  gates.set(wb, gate)
  return () => {
    if (gates.get(wb) === gate) gates.delete(wb)
  }
}

/** The open workbook's gate, or undefined (tests and tools that mount a grid without a session). */
export function accessGateOf(wb: Workbook): AccessGate | undefined {
  return gates.get(wb)
}
