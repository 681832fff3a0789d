/**
 * The access UI's own strings (issue 16): the lock tooltip, refusal toasts, the rules editor, the
 * period locks and the share dialog's roles. Kept here so the feature stays in web/src/access/ui.
 */
import { type Decision, formatPeriod, type Role } from '@taizhang/shared'
import { formatMessage, locale } from '../../i18n'
import type { Refusal } from './accessGate'

const zh = {
  locked: '已锁定：{who}，{when}',
  autoLocker: '自动锁定',
  refused: '{n} 处未修改：{why}',
  panelTitle: '权限规则',
  menuRules: '权限规则',
  noRules:
    '还没有规则：各角色按默认权限（所有者、审核人、编辑者可改全部数据；限定编辑者只改本站点或本区县的行）。',
  role: '角色',
  sheets: '表',
  columns: '列',
  condition: '行条件',
  conditionHint: '例如 rec.站点 == user.station；留空表示所有行',
  all: '全部',
  add: '添加规则',
  edit: '编辑',
  delete: '删除',
  save: '保存',
  cancel: '取消',
  close: '关闭',
  errSheets: '请至少选择一张表',
  errRole: '请选择角色',
  errColumns: '请至少选择一列，或选“全部”',
  errCondition: '行条件有误：{msg}',
  errConditionIn: '行条件在“{sheet}”中有误：{msg}',
  ownerOnly: '只有所有者可以修改权限规则',
  saved: '规则已保存',
  locksTitle: '期间锁定',
  lockPeriod: '锁定本期',
  reopen: '重新开放',
  lockedBy: '已锁定（{who}，{when}）',
  reopenedBy: '已重新开放（{who}，{when}）',
  open: '开放',
  autoLock: '期末后自动锁定天数',
  autoLockOff: '不自动锁定',
  autoLockSet: '保存',
  errAutoLock: '天数须为 0 到 3650 之间的整数，或留空表示不自动锁定',
  exceptions: '锁定例外（仍可填报的站点）',
  exceptionsButton: '例外',
  addException: '添加例外',
  pickStation: '选择站点',
  exceptionBy: '例外（{who}，{when}）',
  removeException: '取消例外',
  period: '期间',
  status: '状态',
  roleOwner: '所有者',
  roleApprover: '审核人',
  roleEditor: '编辑者',
  roleScoped: '限定编辑者',
  roleViewer: '查看者',
  scope: '范围',
  scopeStation: '站点',
  scopeDistrict: '区县',
  errScope: '限定编辑者须选择一个站点或区县',
  noStations: '本台账还没有设置站点（报表 → 完成情况）：请手动输入站点或区县名称',
  myRole: '我的权限：{role}',
  // access-client (issue 16 §3): an undo/redo step the rules refuse, checked before it is applied
  undoLocked: '无法撤销：{period}已被锁定（{who}，{when}）。这一步已保留，重新开放后可再撤销。',
  redoLocked: '无法重做：{period}已被锁定（{who}，{when}）。这一步已保留，重新开放后可再重做。',
  undoRefused: '无法撤销：{why}。这一步已保留。',
  redoRefused: '无法重做：{why}。这一步已保留。',
}

type Key = keyof typeof zh

const en: Record<Key, string> = {
  locked: 'Locked: {who}, {when}',
  autoLocker: 'auto-lock',
  refused: '{n} change(s) not made: {why}',
  panelTitle: 'Access rules',
  menuRules: 'Access rules',
  noRules:
    'No rules yet: each role has its defaults (owners, approvers and editors change all data; a scoped editor changes only its station’s or district’s rows).',
  role: 'Role',
  sheets: 'Sheets',
  columns: 'Columns',
  condition: 'Row condition',
  conditionHint: 'e.g. rec.站点 == user.station; empty means every row',
  all: 'All',
  add: 'Add rule',
  edit: 'Edit',
  delete: 'Delete',
  save: 'Save',
  cancel: 'Cancel',
  close: 'Close',
  errSheets: 'Pick at least one sheet',
  errRole: 'Pick a role',
  errColumns: 'Pick at least one column, or “All”',
  errCondition: 'The row condition is wrong: {msg}',
  errConditionIn: 'The row condition is wrong in “{sheet}”: {msg}',
  ownerOnly: 'Only an owner may change access rules',
  saved: 'Rule saved',
  locksTitle: 'Period locks',
  lockPeriod: 'Lock period',
  reopen: 'Reopen',
  lockedBy: 'Locked ({who}, {when})',
  reopenedBy: 'Reopened ({who}, {when})',
  open: 'Open',
  autoLock: 'Lock automatically N days after the period ends',
  autoLockOff: 'No automatic lock',
  autoLockSet: 'Save',
  errAutoLock: 'Days must be a whole number from 0 to 3650, or empty for no automatic lock',
  exceptions: 'Lock exceptions (stations that may still report)',
  exceptionsButton: 'Exceptions',
  addException: 'Add exception',
  pickStation: 'Pick a station',
  exceptionBy: 'Exception ({who}, {when})',
  removeException: 'Remove exception',
  period: 'Period',
  status: 'Status',
  roleOwner: 'Owner',
  roleApprover: 'Approver',
  roleEditor: 'Editor',
  roleScoped: 'Scoped editor',
  roleViewer: 'Viewer',
  scope: 'Scope',
  scopeStation: 'Station',
  scopeDistrict: 'District',
  errScope: 'A scoped editor needs a station or a district',
  noStations:
    'This ledger has no stations set up (Reports → Completeness): type the station or district name',
  myRole: 'My access: {role}',
  // access-client (issue 16 §3)
  undoLocked:
    'Cannot undo: {period} is locked ({who}, {when}). The step is kept: undo it once the period is reopened.',
  redoLocked:
    'Cannot redo: {period} is locked ({who}, {when}). The step is kept: redo it once the period is reopened.',
  undoRefused: 'Cannot undo: {why}. The step is kept.',
  redoRefused: 'Cannot redo: {why}. The step is kept.',
}

/** An access UI string in the current locale; reactive like `t`. */
export function ta(key: Key, params?: Record<string, string | number>): string {
  return formatMessage((locale() === 'en' ? en : zh)[key], params)
}

/** The same in a given locale (the grid passes its own). */
export function taIn(
  lang: 'zh-CN' | 'en',
  key: Key,
  params?: Record<string, string | number>,
): string {
  return formatMessage((lang === 'en' ? en : zh)[key], params)
}

const ROLE_KEYS: Record<Role, Key> = {
  owner: 'roleOwner',
  approver: 'roleApprover',
  editor: 'roleEditor',
  'scoped-editor': 'roleScoped',
  viewer: 'roleViewer',
}

export function roleLabel(role: Role): string {
  return ta(ROLE_KEYS[role])
}

/** A moment as the lock tooltips show it: 2024-08-05 14:03 (local time). */
export function formatWhen(at: number): string {
  const d = new Date(at)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** The tooltip of a cell the rules refuse: who locked it and when, or why it is read-only. */
export function refusalTitle(d: Extract<Decision, { ok: false }>, lang: 'zh-CN' | 'en'): string {
  if (d.reason === 'period-locked' && d.lock) {
    const when = formatWhen(d.lock.at)
    return d.lock.auto
      ? taIn(lang, 'locked', { who: taIn(lang, 'autoLocker'), when })
      : taIn(lang, 'locked', { who: d.lock.by, when })
  }
  return lang === 'en' ? d.message.en : d.message.zh
}

/** The toast after a write path skipped changes the rules refuse (or refused an undo step). */
export function refusedToast(n: number, d: Refusal): string {
  return refusedToastIn(locale(), n, d)
}

/** The same in a given locale. */
export function refusedToastIn(lang: 'zh-CN' | 'en', n: number, d: Refusal): string {
  if (!d.action) return taIn(lang, 'refused', { n, why: refusalTitle(d, lang) })
  const undo = d.action === 'undo'
  if (d.reason === 'period-locked' && d.lock) {
    return taIn(lang, undo ? 'undoLocked' : 'redoLocked', {
      period: formatPeriod(d.lock.period, lang === 'en' ? 'iso' : 'zh'),
      who: d.lock.auto ? taIn(lang, 'autoLocker') : d.lock.by,
      when: formatWhen(d.lock.at),
    })
  }
  const why = lang === 'en' ? d.message.en : d.message.zh
  return taIn(lang, undo ? 'undoRefused' : 'redoRefused', { why })
}
