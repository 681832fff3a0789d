import type { Column, ColumnFormat, ColumnType, MoneyUnit } from '../schema/columnTypes.js'
import { INFER_MIN_SHARE, inferColumnType } from '../schema/inferColumnType.js'
import { isBlankInput, parseValue, type ValueColumn } from '../schema/values.js'
import type { CsvTable } from './parseCsv.js'

/**
 * Where one CSV column goes (rule CSV5): an existing column, a new column of an inferred (or chosen)
 * type, or nowhere.
 */
export type ColumnTarget =
  | { kind: 'existing'; colId: string }
  | { kind: 'new'; name: string; type: ColumnType; format?: ColumnFormat }
  | { kind: 'skip' }

export interface ColumnMapping {
  /** Index of the CSV column. */
  source: number
  target: ColumnTarget
  /** How the suggestion was made, for the dialog ("按名称匹配", "按别名匹配"). */
  reason?: 'name' | 'alias' | 'inferred' | 'user'
}

/**
 * Synonym groups used when matching CSV headers to columns: the vocabulary of DOMAIN.md in Chinese and
 * English. Keys are compared after `headerKey` folding.
 */
export const HEADER_ALIASES: readonly (readonly string[])[] = [
  ['站点名称', '站点', '社工站', '社工站名称', '站名', '名称', 'station', 'stationname', 'name'],
  ['期间', '月份', '报告期', '统计期间', '时期', 'period', 'reportingperiod', 'month'],
  ['地区', '区域', '区县', '所属地区', '行政区', 'region', 'district', 'area'],
  ['乡镇街道', '乡镇', '街道', '乡镇(街道)', 'township', 'street', 'town'],
  ['服务人次', '服务对象人次', 'peopleserved', 'visits', 'served'],
  ['服务对象', '服务对象数', 'clients'],
  [
    '服务活动',
    '服务活动次数',
    '活动次数',
    '活动场次',
    'activities',
    'serviceactivities',
    'sessions',
  ],
  ['志愿者', '志愿者人数', '志愿者数', 'volunteers'],
  ['持证社工', '持证社工人数', '持证社工数', 'certifiedsocialworkers', 'certifiedworkers'],
  ['投入资金', '投入资金万元', '资金', '经费', 'funding', 'budget'],
  ['覆盖率', 'coverage', 'coveragerate'],
  ['督导', '督导家次', '督导次数', 'supervision', 'supervisionvisits'],
  [
    '运营机构',
    '社工机构',
    '承接机构',
    'operator',
    'organisation',
    'organization',
    'operatingorganisation',
  ],
  ['日期', '时间', '活动日期', 'date'],
  ['备注', '说明', 'notes', 'note', 'remark', 'remarks', 'comment'],
  ['类型', '站点类型', 'type', 'kind'],
  ['负责人', '联系人', 'contact', 'manager'],
  ['电话', '联系电话', 'phone', 'tel'],
]

const BRACKETS = /[()[\]{}<>【】（）［］｛｝《》〈〉「」『』〔〕]/g

/** Folds width, case, spaces and brackets: `投入资金（万元）` and `投入资金 (万元)` share a key. */
export function headerKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-·.:：]/g, '')
    .replace(BRACKETS, '')
}

/** The key without bracketed parts: `投入资金（万元）` → `投入资金`, so it also meets its alias group. */
function bareKey(name: string): string {
  return headerKey(
    name.normalize('NFKC').replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|《[^》]*》/g, ''),
  )
}

const aliasIndex = new Map<string, number>()
HEADER_ALIASES.forEach((group, i) => {
  for (const n of group) aliasIndex.set(headerKey(n), i)
})

function aliasGroup(name: string): number | undefined {
  return aliasIndex.get(headerKey(name)) ?? aliasIndex.get(bareKey(name))
}

/** How many rows of a column feed type inference (spread over the file). */
const INFER_SAMPLE_ROWS = 2000

/** Cells of one CSV column, sampled evenly over the whole file. */
export function sampleColumn(table: CsvTable, source: number, max = INFER_SAMPLE_ROWS): string[] {
  const n = table.rowCount
  const col = table.data[source]
  const out: string[] = []
  if (!col) return new Array<string>(Math.min(n, max)).fill('')
  if (n <= max) for (let r = 0; r < n; r++) out.push(col.get(r))
  else for (let k = 0; k < max; k++) out.push(col.get(Math.floor((k * n) / max)))
  return out
}

/** A new column for CSV column `source`, typed by `inferColumnType` exactly as the UI shows it. */
export function newColumnTarget(table: CsvTable, source: number): ColumnTarget {
  const samples = sampleColumn(table, source)
  const inferred = inferColumnType(samples)
  const name = table.header[source] ?? `列${source + 1}`
  // A unit in the header (投入资金（万元）) makes bare numbers money in that unit, as a person reads it.
  const unit = /[(（]\s*(万元|元)\s*[)）]/.exec(name.normalize('NFKC'))?.[1] as
    | MoneyUnit
    | undefined
  if (unit && inferred.type !== 'money') {
    const money: ValueColumn = { type: 'money', format: { unit }, constraints: {} }
    const filled = samples.filter((s) => !isBlankInput(s))
    const fit = filled.filter((s) => parseValue(s, money).ok).length
    if (filled.length > 0 && fit / filled.length >= INFER_MIN_SHARE)
      return { kind: 'new', name, type: 'money', format: { unit } }
  }
  return {
    kind: 'new',
    name: table.header[source] ?? `列${source + 1}`,
    type: inferred.type,
    ...(inferred.format ? { format: inferred.format } : {}),
  }
}

/**
 * Suggests a mapping: each CSV column to the existing column with the same folded name, else one in the
 * same alias group, else a new inferred column. No existing column is used twice.
 */
export function suggestMapping(table: CsvTable, columns: readonly Column[]): ColumnMapping[] {
  const used = new Set<string>()
  const byKey = new Map<string, Column>()
  const byBare = new Map<string, Column>()
  for (const c of columns) {
    if (!byKey.has(headerKey(c.name))) byKey.set(headerKey(c.name), c)
    if (!byBare.has(bareKey(c.name))) byBare.set(bareKey(c.name), c)
  }
  const result: (ColumnMapping | undefined)[] = table.header.map(() => undefined)
  // Pass 1: exact folded names win over aliases, whatever the column order.
  table.header.forEach((h, source) => {
    const c = byKey.get(headerKey(h)) ?? byBare.get(bareKey(h))
    if (c && !used.has(c.id)) {
      used.add(c.id)
      result[source] = { source, target: { kind: 'existing', colId: c.id }, reason: 'name' }
    }
  })
  table.header.forEach((h, source) => {
    if (result[source]) return
    const g = aliasGroup(h)
    const c =
      g === undefined
        ? undefined
        : columns.find((col) => !used.has(col.id) && aliasGroup(col.name) === g)
    if (c) {
      used.add(c.id)
      result[source] = { source, target: { kind: 'existing', colId: c.id }, reason: 'alias' }
    } else {
      result[source] = { source, target: newColumnTarget(table, source), reason: 'inferred' }
    }
  })
  return result as ColumnMapping[]
}
