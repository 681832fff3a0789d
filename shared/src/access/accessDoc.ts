/**
 * Where access rules and period locks live in the doc (issue 16): one root map `access`, one plain
 * JSON value per key, so the server can tell a rule or lock write from a data write by its root
 * alone, and concurrent edits of different rules or locks merge per key (last writer wins on one key).
 *
 * Keys: `rule:<id>` → AccessRule, `lock:<sheetId>|<period>` → LockRecord (locked or reopened, who,
 * when), `exception:<sheetId>|<period>|<station>` → LockException, `autolock:<sheetId>` → AutoLock.
 * The constant sits here rather than in model/keys.ts because only access/ reads or writes it.
 */
import type * as Y from 'yjs'
import { LOCAL_EDIT, type Origin } from '../model/origins.js'
import type { Workbook } from '../model/workbook.js'
import { periodMonths, readPeriod } from '../periods/period.js'
import { DEFAULT_UTC_OFFSET_MIN } from '../periods/ranges.js'
import type { Role } from './roles.js'

export const ROOT_ACCESS = 'access'
const DAY_MS = 86_400_000

/**
 * A grant: holders of `role` may change the listed sheets' listed columns, in rows where
 * `condition` (the expression language, over `rec` and `user`) is true. `'*'` means all.
 * When no rule names a role, the role's default applies (see checkChange.ts).
 */
export interface AccessRule {
  id: string
  role: Role
  sheets: readonly string[] | '*'
  columns: readonly string[] | '*'
  /** e.g. `rec.站点 == user.station`; absent or empty: every row. */
  condition?: string
}

/** The last lock decision on a period of a sheet: locked, or reopened; who and when. */
export interface LockRecord {
  locked: boolean
  by: string
  at: number
}

/** One station may still write one locked period (DHIS2's lock exception). */
export interface LockException {
  by: string
  at: number
}

/** The period locks itself `days` after it ends (DHIS2's expiry days). */
export interface AutoLock {
  days: number
}

export function accessMap(wb: Workbook): Y.Map<unknown> {
  return wb.doc.getMap(ROOT_ACCESS)
}

const lockKey = (sheetId: string, period: string) => `lock:${sheetId}|${period}`
const exceptionKey = (sheetId: string, period: string, station: string) =>
  `exception:${sheetId}|${period}|${station}`

function put(wb: Workbook, key: string, value: unknown, origin: Origin): void {
  if (wb.readOnly) return
  wb.transact(() => {
    if (value === undefined) accessMap(wb).delete(key)
    else accessMap(wb).set(key, JSON.parse(JSON.stringify(value)))
  }, origin)
}

export function readRules(wb: Workbook): AccessRule[] {
  const out: AccessRule[] = []
  for (const [key, value] of accessMap(wb)) {
    if (key.startsWith('rule:') && value && typeof value === 'object') out.push(value as AccessRule)
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export function writeRule(wb: Workbook, rule: AccessRule, origin: Origin = LOCAL_EDIT): void {
  put(wb, `rule:${rule.id}`, rule, origin)
}

export function deleteRule(wb: Workbook, id: string, origin: Origin = LOCAL_EDIT): void {
  put(wb, `rule:${id}`, undefined, origin)
}

/** An approver locks (`locked: true`) or reopens (`false`) a period of a sheet. */
export function setPeriodLock(
  wb: Workbook,
  sheetId: string,
  period: string,
  record: LockRecord,
  origin: Origin = LOCAL_EDIT,
): void {
  put(wb, lockKey(sheetId, period), record, origin)
}

export function readLockRecord(
  wb: Workbook,
  sheetId: string,
  period: string,
): LockRecord | undefined {
  const v = accessMap(wb).get(lockKey(sheetId, period))
  return v && typeof v === 'object' ? (v as LockRecord) : undefined
}

export function setLockException(
  wb: Workbook,
  sheetId: string,
  period: string,
  station: string,
  exception: LockException | undefined,
  origin: Origin = LOCAL_EDIT,
): void {
  put(wb, exceptionKey(sheetId, period, station), exception, origin)
}

export function readLockException(
  wb: Workbook,
  sheetId: string,
  period: string,
  station: string,
): LockException | undefined {
  const v = accessMap(wb).get(exceptionKey(sheetId, period, station))
  return v && typeof v === 'object' ? (v as LockException) : undefined
}

export function setAutoLock(
  wb: Workbook,
  sheetId: string,
  autoLock: AutoLock | undefined,
  origin: Origin = LOCAL_EDIT,
): void {
  put(wb, `autolock:${sheetId}`, autoLock, origin)
}

export function readAutoLock(wb: Workbook, sheetId: string): AutoLock | undefined {
  const v = accessMap(wb).get(`autolock:${sheetId}`)
  return v && typeof v === 'object' ? (v as AutoLock) : undefined
}

/** The instant a stored period ends (the first moment of the next month, China time); undefined if not a period. */
export function periodEndMs(
  period: unknown,
  utcOffsetMin = DEFAULT_UTC_OFFSET_MIN,
): number | undefined {
  const p = readPeriod(period)
  if (!p) return undefined
  const next = periodMonths(p)[1] + 1
  return Date.UTC(Math.floor(next / 12), next % 12, 1) - utcOffsetMin * 60_000
}

export type LockState =
  | { locked: false; exception?: LockException }
  | { locked: true; by: string; at: number; auto: boolean }

/**
 * Whether a station's period of a sheet is locked at `now`. An approver's explicit lock or
 * reopen decides; without one, the sheet's auto-lock does (`days` after the period's end). A lock
 * exception for the station lets it write a locked period.
 */
export function periodLockState(
  wb: Workbook,
  sheetId: string,
  period: string,
  station: string | null,
  now: number,
): LockState {
  return lockStateAt(readLockInputs(wb, sheetId, period, station), now)
}

/**
 * What a period's lock state is made of, read from the access map: the checker keeps these per
 * (sheet, period, station) until the access map changes, and only the clock is applied per check.
 */
export interface LockInputs {
  record?: LockRecord
  /** When the sheet's auto-lock locks the period (absent: no auto-lock, or not a period). */
  autoAt?: number
  exception?: LockException
}

export function readLockInputs(
  wb: Workbook,
  sheetId: string,
  period: string,
  station: string | null,
): LockInputs {
  const out: LockInputs = {}
  const record = readLockRecord(wb, sheetId, period)
  if (record) out.record = record
  else {
    const auto = readAutoLock(wb, sheetId)
    const end = auto ? periodEndMs(period) : undefined
    if (auto && end !== undefined) out.autoAt = end + auto.days * DAY_MS
  }
  const exception = station ? readLockException(wb, sheetId, period, station) : undefined
  if (exception) out.exception = exception
  return out
}

/**
 * The lock state at `now`. An approver's explicit lock or reopen decides; without one, the sheet's
 * auto-lock does (`days` after the period's end). A lock exception for the station lets it write a
 * locked period.
 */
export function lockStateAt(inputs: LockInputs, now: number): LockState {
  let state: LockState = { locked: false }
  const rec = inputs.record
  if (rec) {
    if (rec.locked) state = { locked: true, by: rec.by, at: rec.at, auto: false }
  } else if (inputs.autoAt !== undefined && now >= inputs.autoAt) {
    state = { locked: true, by: '', at: inputs.autoAt, auto: true }
  }
  if (state.locked && inputs.exception) return { locked: false, exception: inputs.exception }
  return state
}
