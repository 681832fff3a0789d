/**
 * One rule, evaluated at both ends (STYLE.md pattern 7): `checkChange` decides whether an identity
 * may make one change to a workbook. The server calls it for every change an incoming update makes
 * (sync-server/src/policy/) and refuses the update when any is refused; the web app calls it to
 * offer only what is allowed, offline too (web/src/access/).
 *
 * Order of the checks: read-only role → structure/rules/locks by role → period lock (the row's
 * period, before and after the change) → grants (rules naming the role, or the role's default).
 * Conditions see the row as it is and as it would be, and must hold for both, so a scoped editor
 * can neither edit another station's row nor move its own row into another station.
 */
import { completenessSettings } from '../completeness/completeness.js'
import {
  type CompiledExpr,
  compileSource,
  type ExprScope,
  type SheetSource,
} from '../expr/evaluate.js'
import { createWorkbookScopes, type WorkbookScopes } from '../expr/workbookScope.js'
import { ROOT_LEDGER } from '../model/keys.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import {
  type AccessRule,
  accessMap,
  type LockInputs,
  lockStateAt,
  readLockInputs,
  readRules,
} from './accessDoc.js'
import { NestedCache } from './nestedCache.js'
import { type AccessIdentity, Roles, userRecord } from './roles.js'

/** What one update (or one UI action) changes, as the rules see it. */
export type Change =
  /** A cell of an existing row; `value` is the new value (undefined: cleared). */
  | { kind: 'cell'; sheetId: string; rowId: string; colId: string; value?: CellValue }
  /** A new row with its values by column id. */
  | {
      kind: 'row-insert'
      sheetId: string
      rowId: string
      values: Readonly<Record<string, CellValue>>
    }
  | { kind: 'row-delete'; sheetId: string; rowId: string }
  | { kind: 'row-move'; sheetId: string; rowId: string }
  /** Sheets, columns (add/delete/rename/type), the workbook title: owners only. */
  | { kind: 'structure'; sheetId?: string; what: 'sheet' | 'column' | 'meta' }
  /** An access rule: owners only. */
  | { kind: 'rules' }
  /** A lock, reopen, lock exception or auto-lock setting of a sheet's period: approvers and owners. */
  | { kind: 'lock'; sheetId: string; period?: string }
  /** A ledger definition (issue 14): `complete` marks are row-like (station + period), the rest is setup. */
  | { kind: 'definition'; defKind: string; id: string }

export const RefusalReasons = {
  readOnly: 'read-only',
  structure: 'structure-owner-only',
  rules: 'rules-owner-only',
  locks: 'locks-approver-only',
  definitions: 'definitions-not-allowed',
  locked: 'period-locked',
  row: 'row-not-in-scope',
  column: 'column-not-allowed',
  sheet: 'sheet-not-allowed',
} as const
export type RefusalReason = (typeof RefusalReasons)[keyof typeof RefusalReasons]
export const REFUSAL_REASONS: readonly RefusalReason[] = Object.values(RefusalReasons)

export const REFUSAL_MESSAGES: Record<RefusalReason, { zh: string; en: string }> = {
  'read-only': { zh: '只读权限，不能修改', en: 'read-only access: no changes allowed' },
  'structure-owner-only': {
    zh: '只有所有者可以修改表和列的结构',
    en: 'only an owner may change sheets and columns',
  },
  'rules-owner-only': {
    zh: '只有所有者可以修改权限规则',
    en: 'only an owner may change access rules',
  },
  'locks-approver-only': {
    zh: '只有审核人或所有者可以锁定或解锁期间',
    en: 'only an approver or owner may lock or reopen a period',
  },
  'definitions-not-allowed': {
    zh: '无权修改该表的统计与规则定义',
    en: 'not allowed to change this definition',
  },
  'period-locked': { zh: '该期间已锁定', en: 'this period is locked' },
  'row-not-in-scope': {
    zh: '这一行不属于你负责的站点或区县',
    en: 'this row is outside your station or district',
  },
  'column-not-allowed': { zh: '无权修改这一列', en: 'not allowed to change this column' },
  'sheet-not-allowed': { zh: '无权修改这张表', en: 'not allowed to change this sheet' },
}

export type Decision =
  | { ok: true }
  | {
      ok: false
      reason: RefusalReason
      message: { zh: string; en: string }
      /** For `period-locked`: the period and who locked it when (`auto`: by the auto-lock setting). */
      lock?: { period: string; by: string; at: number; auto: boolean }
    }

const ALLOWED: Decision = { ok: true }
function refuse(reason: RefusalReason, lock?: Extract<Decision, { ok: false }>['lock']): Decision {
  return lock
    ? { ok: false, reason, message: REFUSAL_MESSAGES[reason], lock }
    : { ok: false, reason, message: REFUSAL_MESSAGES[reason] }
}

/**
 * What a change writes into a row, by column id: one cell (`OneCell`), a new row's values
 * (`RowValues`), or nothing (the row as it is). Not a record built per check: a record with a
 * computed key (a cell's column id, a fresh string per update) is slow to build and to search,
 * and the checker runs for every change of every update (bench/access/inprocess.bench.ts).
 */
interface Written {
  has(col: string): boolean
  get(col: string): CellValue | undefined
  /** Whether any written column is in `cols`. */
  anyIn(cols: ReadonlySet<string>): boolean
}

const NOTHING: Written = { has: () => false, get: () => undefined, anyIn: () => false }

class OneCell implements Written {
  constructor(
    private readonly col: string,
    private readonly value: CellValue,
  ) {}
  has(col: string): boolean {
    return col === this.col
  }
  get(col: string): CellValue | undefined {
    return col === this.col ? this.value : undefined
  }
  anyIn(cols: ReadonlySet<string>): boolean {
    return cols.has(this.col)
  }
}

class RowValues implements Written {
  constructor(private readonly values: Readonly<Record<string, CellValue>>) {}
  has(col: string): boolean {
    return col in this.values
  }
  get(col: string): CellValue | undefined {
    return this.values[col]
  }
  anyIn(cols: ReadonlySet<string>): boolean {
    for (const col in this.values) if (cols.has(col)) return true
    return false
  }
}

/** A sheet source whose cells can be overridden: the row "as it would be" after a change. */
class OverlaySource implements SheetSource {
  rowId = ''
  values: Written = NOTHING
  constructor(private readonly base: SheetSource) {}
  get id() {
    return this.base.id
  }
  get name() {
    return this.base.name
  }
  columns() {
    return this.base.columns()
  }
  rowIds() {
    return this.base.rowIds()
  }
  cell(rowId: string, colId: string): CellValue | undefined {
    if (rowId === this.rowId && this.values.has(colId)) return this.values.get(colId)
    return this.base.cell(rowId, colId)
  }
}

/**
 * A checker over one live workbook: compiled conditions and lookup indexes are kept between
 * calls (rules change rarely; rows often). `dispose` stops it watching the workbook.
 */
export interface AccessChecker {
  check(who: AccessIdentity, change: Change, now: number): Decision
  /**
   * Prepares what `check` would otherwise build on `who`'s first change: the plan (grants,
   * compiled conditions) of every live sheet and each sheet's row index. The server calls it when
   * a connection joins a live room, so a writer's first update does not pay for it.
   */
  warm(who: AccessIdentity): void
  dispose(): void
}

/** One grant as the checker applies it to one sheet for one identity (see `plan`). */
interface Grant {
  rule: AccessRule
  /** The compiled condition; `true`: no condition (every row); null: it grants nothing. */
  cond: { overlay: OverlaySource; expr: CompiledExpr } | true | null
}

/** Everything about (identity, sheet) that does not depend on the row: kept until rules, ledger definitions or structure change. */
interface Plan {
  settings: ReturnType<typeof completenessSettings>
  /** The grants naming the identity's role (or its default) that cover this sheet. */
  grants: Grant[]
}

export function createAccessChecker(wb: Workbook): AccessChecker {
  const scopes: WorkbookScopes = createWorkbookScopes(wb)
  // Per (sheet, identity): the settings, grants and compiled conditions. Per (sheet, period,
  // station): what the lock state is made of. Rules and locks live in the access map, settings in
  // the ledger map, column names and sheets in the sheets map: a change to any of them drops the
  // plans (they change rarely; rows often), a change to the access map the lock inputs too.
  // Nested maps, not one map keyed by a joined string: hashing a freshly concatenated key on every
  // check was the checker's largest cost (bench/access/inprocess.bench.ts); the parts are strings
  // the caller already holds, whose hashes are computed once.
  const plans = new NestedCache<Plan>()
  const locks = new NestedCache<LockInputs>()
  let rules: AccessRule[] | null = null
  const onAccess = () => {
    rules = null
    plans.clear()
    locks.clear()
  }
  const onLedger = () => plans.clear()
  const ledger = wb.doc.getMap(ROOT_LEDGER)
  accessMap(wb).observe(onAccess)
  ledger.observe(onLedger)
  const offStructure = wb.onChange((change) => {
    if (change.sheetsChanged || change.metaChanged) return plans.clear()
    for (const c of change.sheets.values()) if (c.columns || c.meta) return plans.clear()
  })
  const currentRules = () => {
    if (!rules) rules = readRules(wb)
    return rules
  }

  const compile = (rule: AccessRule, sheetId: string, who: AccessIdentity): Grant['cond'] => {
    if (!rule.condition || rule.condition.trim() === '') return true
    const base = scopes.scope(sheetId, { user: userRecord(who) })
    if (!base) return null
    const overlay = new OverlaySource(base.sheet)
    const scope: ExprScope = { ...base, sheet: overlay }
    const c = compileSource(rule.condition, scope)
    // A rule that does not compile grants nothing (fails closed); the rules editor shows why.
    return c.ok ? { overlay, expr: c.compiled } : null
  }

  const plan = (who: AccessIdentity, sheetId: string): Plan => {
    const whoKey = keyOf(who)
    let p = plans.get(whoKey, sheetId, '')
    if (p) return p
    const mine = currentRules().filter((r) => r.role === who.role)
    const named = mine.length > 0 ? mine : defaults(wb, who, sheetId)
    p = {
      settings: completenessSettings(wb, sheetId),
      grants: named
        .filter((r) => r.sheets === '*' || r.sheets.includes(sheetId))
        .map((rule) => ({ rule, cond: compile(rule, sheetId, who) })),
    }
    plans.set(whoKey, sheetId, '', p)
    return p
  }

  /** Whether `grant` admits the row as it is (NOTHING written) or as it would be (values given). */
  const admits = (grant: Grant, rowId: string, values: Written, skipUnread = false): boolean => {
    const c = grant.cond
    if (c === true) return true
    if (!c) return false
    // The row "as it would be" differs from the row as it is only in `values`: when the condition
    // reads none of those columns, its answer is the one already computed for the row as it is.
    if (skipUnread && !values.anyIn(c.expr.reads)) return true
    c.overlay.rowId = rowId
    c.overlay.values = values
    try {
      const r = c.expr.raw(rowId)
      return r.ok && r.value === true
    } finally {
      c.overlay.values = NOTHING
    }
  }

  /** A row's value in `col` as it would be with `values` written. */
  const readKey = (
    sheetId: string,
    rowId: string,
    values: Written,
    col: string,
  ): CellValue | undefined =>
    values.has(col)
      ? values.get(col)
      : wb.hasSheet(sheetId)
        ? wb.sheet(sheetId).getCell(rowId, col)
        : null

  const checkLock = (
    p: Plan,
    sheetId: string,
    rowId: string,
    values: Written,
    now: number,
  ): Decision => {
    const s = p.settings
    if (!s) return ALLOWED
    const period = readKey(sheetId, rowId, values, s.periodColumn)
    if (typeof period !== 'string' || period === '') return ALLOWED
    const st = readKey(sheetId, rowId, values, s.stationColumn)
    const station = typeof st === 'string' && st !== '' ? st : null
    let inputs = locks.get(sheetId, period, station ?? '')
    if (!inputs) {
      inputs = readLockInputs(wb, sheetId, period, station)
      locks.set(sheetId, period, station ?? '', inputs)
    }
    const state = lockStateAt(inputs, now)
    if (!state.locked) return ALLOWED
    return refuse(RefusalReasons.locked, {
      period,
      by: state.by,
      at: state.at,
      auto: state.auto,
    })
  }

  const checkRow = (
    who: AccessIdentity,
    sheetId: string,
    rowId: string,
    colIds: readonly string[] | '*',
    after: Written | null,
    existing: boolean,
    now: number,
  ): Decision => {
    const p = plan(who, sheetId)
    // Locks bind everyone, owners too: a locked month changes only after an approver reopens it.
    if (existing) {
      const before = checkLock(p, sheetId, rowId, NOTHING, now)
      if (!before.ok) return before
    }
    // An existing row's period or station changes only if the change writes those columns.
    const keys = p.settings
    const movesKeys =
      !existing ||
      (after !== null &&
        keys !== undefined &&
        (after.has(keys.periodColumn) || after.has(keys.stationColumn)))
    if (after && movesKeys) {
      const lockAfter = checkLock(p, sheetId, rowId, after, now)
      if (!lockAfter.ok) return lockAfter
    }
    if (who.role === Roles.owner) return ALLOWED
    if (p.grants.length === 0) return refuse(RefusalReasons.sheet)
    let covered = false
    for (const g of p.grants) {
      const cols = g.rule.columns
      if (cols !== '*' && (colIds === '*' || !colIds.every((c) => cols.includes(c)))) continue
      covered = true
      if ((!existing || admits(g, rowId, NOTHING)) && (!after || admits(g, rowId, after, existing)))
        return ALLOWED
    }
    return covered ? refuse(RefusalReasons.row) : refuse(RefusalReasons.column)
  }

  return {
    warm(who) {
      if (who.role === Roles.viewer) return
      for (const s of wb.listSheets()) {
        plan(who, s.id)
        wb.sheet(s.id).rowCount()
      }
    },
    check(who, change, now) {
      if (who.role === Roles.viewer) return refuse(RefusalReasons.readOnly)
      switch (change.kind) {
        case 'structure':
          // A workbook nobody has set access up for keeps the editor tokens of before issue 16
          // working as they did (editors shaped sheets); the first rule or lock makes it owner-only.
          if (who.role === Roles.editor && accessMap(wb).size === 0) return ALLOWED
          return who.role === Roles.owner ? ALLOWED : refuse(RefusalReasons.structure)
        case 'rules':
          return who.role === Roles.owner ? ALLOWED : refuse(RefusalReasons.rules)
        case 'lock':
          return who.role === Roles.owner || who.role === Roles.approver
            ? ALLOWED
            : refuse(RefusalReasons.locks)
        case 'definition':
          return checkDefinition(who, change.defKind)
        case 'cell':
          return checkRow(
            who,
            change.sheetId,
            change.rowId,
            [change.colId],
            new OneCell(change.colId, change.value ?? null),
            true,
            now,
          )
        case 'row-insert':
          return checkRow(
            who,
            change.sheetId,
            change.rowId,
            '*',
            new RowValues(change.values),
            false,
            now,
          )
        case 'row-delete':
        case 'row-move':
          return checkRow(who, change.sheetId, change.rowId, '*', null, true, now)
      }
    },
    dispose: () => {
      accessMap(wb).unobserve(onAccess)
      ledger.unobserve(onLedger)
      offStructure()
      scopes.dispose()
    },
  }
}

/**
 * `identityKey`, remembered for a frozen identity (one that cannot change under the key): the
 * server freezes one identity per connection (sync-server/src/room/admission.ts), so the key is
 * built once per connection instead of once per check.
 */
const frozenKeys = new WeakMap<AccessIdentity, string>()
function keyOf(who: AccessIdentity): string {
  if (!Object.isFrozen(who) || (who.scope && !Object.isFrozen(who.scope))) return identityKey(who)
  let k = frozenKeys.get(who)
  if (k === undefined) {
    k = identityKey(who)
    frozenKeys.set(who, k)
  }
  return k
}

/** The identity as a cache key: everything a condition can read of `user` (see `userRecord`). */
function identityKey(who: AccessIdentity): string {
  return `${who.role}\u0001${who.userId ?? '\u0002'}\u0001${who.name}\u0001${who.scope?.station ?? '\u0002'}\u0001${who.scope?.district ?? '\u0002'}`
}

/** The role's default grants when no stored rule names it (old tokens keep working). */
function defaults(wb: Workbook, who: AccessIdentity, sheetId: string): AccessRule[] {
  if (who.role !== Roles.scopedEditor) {
    return [{ id: `default:${who.role}`, role: who.role, sheets: '*', columns: '*' }]
  }
  // A scoped editor may write the periodic sheets' rows of its own station or district.
  const s = completenessSettings(wb, sheetId)
  if (!s || !who.scope) return []
  const stationCol = quoteName(wb, sheetId, s.stationColumn)
  if (!stationCol) return []
  if (who.scope.station !== undefined) {
    return [
      {
        id: `default:station`,
        role: who.role,
        sheets: [sheetId],
        columns: '*',
        condition: `rec.${stationCol} == user.station`,
      },
    ]
  }
  const refSheet = wb.sheet(sheetId).column(s.stationColumn)?.format.refSheet
  const district =
    s.districtColumn && refSheet ? quoteName(wb, refSheet, s.districtColumn) : undefined
  if (!district) return []
  return [
    {
      id: `default:district`,
      role: who.role,
      sheets: [sheetId],
      columns: '*',
      condition: `rec.${stationCol}.${district} == user.district`,
    },
  ]
}

/**
 * Ledger definitions: owners, approvers and editors define summaries, charts and rules (as before
 * issue 16); a scoped editor may only mark completeness and choose totals. `complete` marks by a
 * scoped editor are not checked per station here: the mark's key names the station, and the
 * completeness view offers marking only on the editor's own rows.
 */
function checkDefinition(who: AccessIdentity, defKind: string): Decision {
  if (who.role !== Roles.scopedEditor) return ALLOWED
  return defKind === 'complete' || defKind === 'totals'
    ? ALLOWED
    : refuse(RefusalReasons.definitions)
}

/** A column's name as the expression language reads it after `rec.`; undefined if it has none usable. */
function quoteName(wb: Workbook, sheetId: string, colId: string): string | undefined {
  if (!wb.hasSheet(sheetId)) return undefined
  const name = wb.sheet(sheetId).column(colId)?.name
  return name && /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name) ? name : undefined
}
