import type {
  CellValue,
  ColumnDiff,
  DefinitionDiff,
  Workbook,
  WorkbookDiff,
} from '@taizhang/shared'
import { valueText } from '../history/format'
import { vt } from './text'

/** One line of the compare list: what differs, and where in the live grid to jump (if anywhere). */
export interface DiffItem {
  key: string
  sheetId: string
  sheetName: string
  kind: 'title' | 'sheet' | 'column' | 'row' | 'cell' | 'definition'
  text: string
  before?: string
  after?: string
  /** The live cell to focus (absent when the thing is not in the workbook now). */
  jump?: { rowId: string; colId: string | null }
}

/** The most lines the panel lists (the count says how many there are in all). */
export const MAX_DIFF_ITEMS = 500

function columnWhat(c: ColumnDiff): string {
  return c.changes
    .map((ch) => {
      switch (ch) {
        case 'name':
          return vt('colWhatName', { before: c.before?.name ?? '' })
        case 'type':
          return vt('colWhatType')
        case 'constraints':
          return vt('colWhatConstraints')
        case 'format':
          return vt('colWhatFormat')
        case 'order':
          return vt('colWhatOrder')
      }
      return ch
    })
    .join('、')
}

/**
 * The compare list's lines, in sheet order: title, then per sheet its own change, its columns,
 * rows and cells; at most `max` lines (values shown as the grid shows them).
 */
export function diffItems(
  diff: WorkbookDiff,
  version: Workbook,
  current: Workbook,
  max = MAX_DIFF_ITEMS,
): DiffItem[] {
  const out: DiffItem[] = []
  const push = (item: DiffItem) => {
    if (out.length < max) out.push(item)
  }
  if (diff.titleBefore !== diff.titleAfter)
    push({
      key: 'title',
      sheetId: '',
      sheetName: '',
      kind: 'title',
      text: vt('diffTitleChanged', { before: diff.titleBefore, after: diff.titleAfter }),
    })
  const text = (wb: Workbook, sheetId: string, colId: string, v: CellValue) =>
    v === null || v === '' ? vt('empty0') : valueText(wb.sheet(sheetId), colId, v)
  for (const s of diff.sheets) {
    const live = s.kind !== 'removed'
    const firstCol = live ? (current.sheet(s.sheetId).columns()[0]?.id ?? null) : null
    const base = { sheetId: s.sheetId, sheetName: s.name }
    if (s.kind === 'added')
      push({ ...base, key: `s:${s.sheetId}`, kind: 'sheet', text: vt('sheetAdded') })
    if (s.kind === 'removed')
      push({ ...base, key: `s:${s.sheetId}`, kind: 'sheet', text: vt('sheetRemoved') })
    if (s.nameBefore !== undefined && s.nameAfter !== undefined)
      push({
        ...base,
        key: `sn:${s.sheetId}`,
        kind: 'sheet',
        text: vt('sheetRenamed', { before: s.nameBefore, after: s.nameAfter }),
      })
    if (s.moved) push({ ...base, key: `sm:${s.sheetId}`, kind: 'sheet', text: vt('sheetMoved') })
    for (const c of s.columns) {
      const firstRow = live ? current.sheet(s.sheetId).rowIds()[0] : undefined
      const jump =
        c.kind !== 'removed' && firstRow ? { rowId: firstRow, colId: c.colId } : undefined
      push({
        ...base,
        key: `c:${s.sheetId}:${c.colId}`,
        kind: 'column',
        text:
          c.kind === 'added'
            ? vt('colAdded', { name: c.name })
            : c.kind === 'removed'
              ? vt('colRemoved', { name: c.name })
              : vt('colChanged', { name: c.name, what: columnWhat(c) }),
        ...(jump ? { jump } : {}),
      })
    }
    for (const r of s.rows) {
      const textFor =
        r.kind === 'added'
          ? vt('rowAdded', { n: r.after + 1 })
          : r.kind === 'removed'
            ? vt('rowRemoved', { n: r.before + 1 })
            : vt('rowMoved', { n: r.after + 1, before: r.before + 1 })
      push({
        ...base,
        key: `r:${s.sheetId}:${r.rowId}`,
        kind: 'row',
        text: textFor,
        ...(r.kind !== 'removed' ? { jump: { rowId: r.rowId, colId: firstCol } } : {}),
      })
    }
    const cs = current.sheet(s.sheetId)
    // Row positions from one map (Sheet.rowIndex searches the order: 500 lines × 100,000 rows).
    const at = s.cells.length > 0 ? new Map(cs.rowIds().map((id, i) => [id, i])) : null
    for (const c of s.cells) {
      if (out.length >= max) break
      push({
        ...base,
        key: `x:${s.sheetId}:${c.rowId}:${c.colId}`,
        kind: 'cell',
        text: vt('cell', {
          n: (at?.get(c.rowId) ?? -1) + 1,
          col: cs.column(c.colId)?.name ?? c.colId,
        }),
        before: text(version, s.sheetId, c.colId, c.before),
        after: text(current, s.sheetId, c.colId, c.after),
        jump: { rowId: c.rowId, colId: c.colId },
      })
    }
  }
  return out
}

const DEF_KIND_KEY = {
  computed: 'defComputed',
  rule: 'defRule',
  summary: 'defSummary',
  chart: 'defChart',
  report: 'defReport',
  completeness: 'defCompleteness',
  totals: 'defTotals',
  complete: 'defComplete',
} as const

/** A definition's name for people: its title or name when it has one, else its id. */
function definitionName(d: DefinitionDiff): string {
  const v = (d.after ?? d.before) as Record<string, unknown> | null
  const name = v && typeof v === 'object' ? (v.title ?? v.name ?? v.label) : undefined
  return typeof name === 'string' && name.trim() !== '' ? name : d.id
}

/** The compare list's lines for report definitions (summaries, charts, rules…) that differ. */
export function definitionItems(defs: readonly DefinitionDiff[]): DiffItem[] {
  return defs.map((d) => ({
    key: `d:${d.kind}:${d.id}`,
    sheetId: '',
    sheetName: '',
    kind: 'definition',
    text: vt(
      d.change === 'added' ? 'defAdded' : d.change === 'removed' ? 'defRemoved' : 'defChanged',
      {
        what: vt(DEF_KIND_KEY[d.kind]),
        name: definitionName(d),
      },
    ),
  }))
}
