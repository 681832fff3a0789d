import type { ColumnInit } from '../schema/columnTypes.js'
import type { ImportOptions, ImportTarget, SheetSnapshot } from './importPlanTypes.js'
import type { ColumnMapping } from './mapping.js'
import type { CsvTable } from './parseCsv.js'

/**
 * The columns an import writes (rule CSV4): each mapped source column to an existing column of the
 * sheet or a new one (its name made unique), and, for an upsert, the key columns among them. A
 * mapping that cannot be applied is refused with a zh-CN and English reason.
 */
export type ImportTargetsResult =
  | { ok: true; targets: ImportTarget[]; keyTargets: number[] }
  | { ok: false; zh: string; en: string }

export function resolveTargets(
  table: CsvTable,
  mapping: readonly ColumnMapping[],
  sheet: SheetSnapshot | undefined,
  options: ImportOptions,
): ImportTargetsResult {
  const bad = (zh: string, en: string): ImportTargetsResult => ({ ok: false, zh, en })
  const existing = new Map((sheet?.columns() ?? []).map((c) => [c.id, c]))
  const targets: ImportTarget[] = []
  const targetOfSource = new Map<number, number>()
  const usedCols = new Set<string>()
  const usedNames = new Set([...existing.values()].map((c) => c.name))
  for (const m of mapping) {
    if (m.source < 0 || m.source >= table.header.length)
      return bad(`CSV 列 ${m.source + 1} 不存在`, `CSV column ${m.source + 1} does not exist`)
    if (targetOfSource.has(m.source))
      return bad(
        `CSV 列“${table.header[m.source]}”映射了两次`,
        `CSV column "${table.header[m.source]}" is mapped twice`,
      )
    const header = table.header[m.source]!
    const t = m.target
    if (t.kind === 'skip') continue
    if (t.kind === 'existing') {
      const col = existing.get(t.colId)
      if (!col) return bad(`列 ${t.colId} 不存在`, `Column ${t.colId} does not exist`)
      if (usedCols.has(col.id))
        return bad(`列“${col.name}”被映射了两次`, `Column "${col.name}" is mapped twice`)
      usedCols.add(col.id)
      targetOfSource.set(m.source, targets.length)
      targets.push({
        source: m.source,
        header,
        name: col.name,
        type: col.type,
        colId: col.id,
        column: col,
      })
    } else {
      let name = t.name.trim() || header
      for (let k = 2; usedNames.has(name); k++) name = `${t.name.trim() || header} (${k})`
      usedNames.add(name)
      const init: ColumnInit = { name, type: t.type, ...(t.format ? { format: t.format } : {}) }
      targetOfSource.set(m.source, targets.length)
      targets.push({
        source: m.source,
        header,
        name,
        type: t.type,
        init,
        column: { type: t.type, format: t.format ?? {}, constraints: {} },
      })
    }
  }
  if (targets.length === 0) return bad('没有要导入的列', 'No column to import')

  const keyTargets: number[] = []
  if (options.mode === 'upsert') {
    if (!options.key || options.key.length === 0)
      return bad('更新模式需要主键列', 'Upsert needs key columns')
    for (const s of options.key) {
      const ti = targetOfSource.get(s)
      if (ti === undefined)
        return bad(
          `主键列“${table.header[s] ?? s}”没有映射到表格列`,
          `Key column "${table.header[s] ?? s}" is not mapped to a column`,
        )
      keyTargets.push(ti)
    }
  }
  return { ok: true, targets, keyTargets }
}
