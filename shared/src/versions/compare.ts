import type * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import { changedCells } from './cellDiff.js'

/** How an entity of the live workbook stands against a version: `added` since, `removed` since. */
export type DiffKind = 'added' | 'removed' | 'changed'

/** A column that differs: which of its settings changed (`order`: it sits elsewhere now). */
export interface ColumnDiff {
  colId: string
  /** Its name now, or in the version when it was removed since. */
  name: string
  kind: DiffKind
  /** The column in the version (absent when added since). */
  before?: Column
  /** The column now (absent when removed since). */
  after?: Column
  changes: ('name' | 'type' | 'constraints' | 'format' | 'order')[]
}

/** A row that is in only one of the two, or sits elsewhere among the rows both have. */
export interface RowDiff {
  rowId: string
  kind: 'added' | 'removed' | 'moved'
  /** Its position in the version (-1 when added since). */
  before: number
  /** Its position now (-1 when removed since). */
  after: number
}

/** A cell of a row and a column both have, whose value differs. */
export interface CellDiff {
  rowId: string
  colId: string
  before: CellValue
  after: CellValue
}

export interface SheetDiff {
  sheetId: string
  /** Its name now, or in the version when it was removed since. */
  name: string
  /** `changed` covers renames and any difference inside; an untouched sheet is not listed. */
  kind: DiffKind
  nameBefore?: string
  nameAfter?: string
  /** The sheet moved among the sheets both have. */
  moved: boolean
  columns: ColumnDiff[]
  rows: RowDiff[]
  cells: CellDiff[]
}

export interface WorkbookDiff {
  titleBefore: string
  titleAfter: string
  sheets: SheetDiff[]
  /** Differences in all: sheet, column, row and cell entries (a title change counts one). */
  count: number
}

/** A workbook, or a doc holding one (opened here, read only by this module). */
export type WorkbookSource = Workbook | Y.Doc

/** Opens a doc as a workbook (migrating a local copy of an older version in memory). */
export function asWorkbook(src: WorkbookSource): Workbook {
  return src instanceof Workbook ? src : Workbook.open(src).workbook
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Positions in `seq` (a list of indices) that form a longest increasing subsequence: the entries
 * that can stay where they are while the others move (patience sorting, O(n log n)).
 */
export function stayingIndices(seq: readonly number[]): Set<number> {
  const tails: number[] = [] // tails[k]: index into seq of the last entry of a run of length k+1
  const prev: number[] = new Array(seq.length).fill(-1)
  for (let i = 0; i < seq.length; i++) {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1
      else hi = mid
    }
    if (lo > 0) prev[i] = tails[lo - 1]!
    tails[lo] = i
  }
  const out = new Set<number>()
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) out.add(i)
  return out
}

/** Ids of `ids` (in their order) that are out of place relative to `reference`'s order. */
export function movedIds(ids: readonly string[], reference: readonly string[]): Set<string> {
  const pos = new Map(reference.map((id, i) => [id, i]))
  const common = ids.filter((id) => pos.has(id))
  const stay = stayingIndices(common.map((id) => pos.get(id)!))
  return new Set(common.filter((_, i) => !stay.has(i)))
}

function diffColumns(before: Column[], after: Column[]): ColumnDiff[] {
  const out: ColumnDiff[] = []
  const nowById = new Map(after.map((c) => [c.id, c]))
  const thenById = new Map(before.map((c) => [c.id, c]))
  const moved = movedIds(
    after.map((c) => c.id),
    before.map((c) => c.id),
  )
  for (const b of before) {
    const a = nowById.get(b.id)
    if (!a) {
      out.push({ colId: b.id, name: b.name, kind: 'removed', before: b, changes: [] })
      continue
    }
    const changes: ColumnDiff['changes'] = []
    if (a.name !== b.name) changes.push('name')
    if (a.type !== b.type) changes.push('type')
    if (!same(a.constraints, b.constraints)) changes.push('constraints')
    if (!same(a.format, b.format)) changes.push('format')
    if (moved.has(b.id)) changes.push('order')
    if (changes.length > 0)
      out.push({ colId: b.id, name: a.name, kind: 'changed', before: b, after: a, changes })
  }
  for (const a of after)
    if (!thenById.has(a.id))
      out.push({ colId: a.id, name: a.name, kind: 'added', after: a, changes: [] })
  return out
}

function diffSheet(
  version: Workbook,
  current: Workbook,
  sheetId: string,
): Pick<SheetDiff, 'columns' | 'rows' | 'cells'> {
  const vs = version.sheet(sheetId)
  const cs = current.sheet(sheetId)
  const columns = diffColumns(vs.columns(), cs.columns())
  const vRows = vs.rowIds()
  const cRows = cs.rowIds()
  const vPos = new Map(vRows.map((id, i) => [id, i]))
  const cPos = new Map(cRows.map((id, i) => [id, i]))
  const rows: RowDiff[] = []
  for (const [id, i] of vPos)
    if (!cPos.has(id)) rows.push({ rowId: id, kind: 'removed', before: i, after: -1 })
  for (const [id, i] of cPos)
    if (!vPos.has(id)) rows.push({ rowId: id, kind: 'added', before: -1, after: i })
  for (const id of movedIds(cRows, vRows))
    rows.push({ rowId: id, kind: 'moved', before: vPos.get(id)!, after: cPos.get(id)! })
  const liveNow = new Set(cs.columns().map((c) => c.id))
  const cols = vs.columns().filter((c) => liveNow.has(c.id))
  const cells: CellDiff[] = changedCells(
    vs,
    cs,
    (id) => vPos.has(id) && cPos.has(id),
    cols.map((c) => c.id),
    (id) => cPos.get(id)!,
  )
  return { columns, rows, cells }
}

/**
 * What differs between a version of a workbook and the workbook now: sheets, columns (name, type,
 * constraints, format, position), rows (added, removed, moved) and the cells of rows and columns
 * both have, with their value in the version (`before`) and now (`after`). Ids match because a
 * version is an earlier state of the same doc. Widths and report definitions are not compared.
 *
 * @example
 * const diff = compareWorkbooks(versionDoc, session.workbook)
 * for (const s of diff.sheets) for (const c of s.cells) console.log(c.rowId, c.before, '→', c.after)
 */
export function compareWorkbooks(
  versionSrc: WorkbookSource,
  currentSrc: WorkbookSource,
): WorkbookDiff {
  const version = asWorkbook(versionSrc)
  const current = asWorkbook(currentSrc)
  const vSheets = version.listSheets()
  const cSheets = current.listSheets()
  const cById = new Map(cSheets.map((s) => [s.id, s]))
  const vIds = new Set(vSheets.map((s) => s.id))
  const moved = movedIds(
    cSheets.map((s) => s.id),
    vSheets.map((s) => s.id),
  )
  const sheets: SheetDiff[] = []
  let count = 0
  for (const v of vSheets) {
    const c = cById.get(v.id)
    if (!c) {
      sheets.push({
        sheetId: v.id,
        name: v.name,
        kind: 'removed',
        moved: false,
        nameBefore: v.name,
        columns: [],
        rows: [],
        cells: [],
      })
      count++
      continue
    }
    const inner = diffSheet(version, current, v.id)
    const renamed = c.name !== v.name
    const n =
      inner.columns.length +
      inner.rows.length +
      inner.cells.length +
      (renamed ? 1 : 0) +
      (moved.has(v.id) ? 1 : 0)
    if (n === 0) continue
    count += n
    sheets.push({
      sheetId: v.id,
      name: c.name,
      kind: 'changed',
      moved: moved.has(v.id),
      ...(renamed ? { nameBefore: v.name, nameAfter: c.name } : {}),
      ...inner,
    })
  }
  for (const c of cSheets) {
    if (vIds.has(c.id)) continue
    sheets.push({
      sheetId: c.id,
      name: c.name,
      kind: 'added',
      moved: false,
      nameAfter: c.name,
      columns: [],
      rows: [],
      cells: [],
    })
    count++
  }
  const titleBefore = version.meta().title
  const titleAfter = current.meta().title
  if (titleBefore !== titleAfter) count++
  return { titleBefore, titleAfter, sheets, count }
}
