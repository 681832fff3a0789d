/**
 * "What would this undo (or redo) write?" (issue 16 §3): the changes, as the access checker reads
 * them, that `Y.UndoManager` would make if the user pressed Ctrl+Z (Ctrl+Y) now — computed from the
 * stack item without applying anything, so a step the rules refuse is never half-applied and never
 * reaches the server to be refused there.
 *
 * Mirrors yjs 13.6 `popStackItem`/`redoItem` (utils/UndoManager.js, structs/Item.js), read-only:
 * the step deletes the items it inserted that are still alive (following `redone` copies) and
 * restores copies of the items it deleted (in the undo manager's scope, not both inserted and
 * deleted by the step, whose parent comes back or is alive, and — for a map key — not overwritten
 * since by someone else). A step that would change nothing is skipped and the next one is taken,
 * as Yjs does. Where the mirror is not exact it errs on the side of more changes (a restore Yjs
 * would skip for a deeper reason is still checked), so the local check can refuse an undo the
 * server would take, never the reverse.
 *
 * The places an item lives map to changes the way shared/src/access/classifyUpdate.ts names an
 * update's (cells, row inserts with their values, deletions, moves, structure). Hand-written: no
 * library inspects an undo step without applying it.
 */
import {
  batchColumns,
  type CellValue,
  type Change,
  type DocPlace,
  FREE_COLUMN_FIELDS,
  ROOT_META,
  ROOT_SHEETS,
  rootNameOf,
  SHEET_BATCHES,
  SHEET_CELLS,
  SHEET_COLUMNS,
  SHEET_DELETIONS,
  SHEET_ROW_ORDER,
  SHEET_ROWS,
  splitCellKey,
  type Workbook,
} from '@taizhang/shared'
import * as Y from 'yjs'

export type UndoDirection = 'undo' | 'redo'

type Location = DocPlace

/** One item the step would touch: restored (`deleted` false) with its values, or deleted. */
interface Effect {
  loc: Location
  values: unknown[]
  deleted: boolean
  /** A restore Yjs may skip: the key may then end cleared instead. */
  uncertain?: boolean
}

type StackItem = Y.UndoManager['undoStack'][number]

function contentValues(content: unknown, from: number, to: number): unknown[] {
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON)
    return content.arr.slice(from, to)
  if (content instanceof Y.ContentString) return [content.str.slice(from, to)]
  if (content instanceof Y.ContentType) return [content.type]
  return []
}

/**
 * Where items live, for one look at a step: a parent type's path is worked out once (a 10,000-cell
 * step has 20,000 items under one cells map; walking up from each one took most of the time).
 */
class Locator {
  private readonly paths = new Map<Y.AbstractType<unknown>, string[] | null>()
  constructor(private readonly doc: Y.Doc) {}

  typePath(type: Y.AbstractType<unknown>): string[] | null {
    const hit = this.paths.get(type)
    if (hit !== undefined) return hit
    const item = type._item
    let path: string[] | null
    if (!item) {
      const name = rootNameOf(this.doc, type)
      path = name === undefined ? null : [name]
    } else {
      const loc = this.itemLocation(item)
      path = loc ? [...loc.path, loc.sub ?? '#'] : null
    }
    this.paths.set(type, path)
    return path
  }

  itemLocation(item: Y.Item): Location | null {
    const parent = item.parent as Y.AbstractType<unknown> | null
    if (!parent || !(parent instanceof Y.AbstractType)) return null
    const path = this.typePath(parent)
    return path ? { path, sub: item.parentSub } : null
  }
}

/** The item holding `id`, following `redone` copies (yjs `followRedone`), and the offset into it. */
function followRedone(store: Y.Doc['store'], id: Y.ID): { item: Y.Item | Y.GC; diff: number } {
  let next: Y.ID | null = id
  let item: Y.Item | Y.GC
  let diff = 0
  do {
    item = Y.getItem(store, next as Y.ID) as Y.Item | Y.GC
    diff = (next as Y.ID).clock - item.id.clock
    next = item instanceof Y.Item ? item.redone : null
    if (next && diff > 0) next = Y.createID(next.client, next.clock + diff)
  } while (next !== null)
  return { item, diff }
}

/** Calls `f(item, from, to)` for each doc item overlapping `ds` (offsets into the item). */
function eachStruct(
  store: Y.Doc['store'],
  ds: StackItem['insertions'],
  f: (item: Y.Item, from: number, to: number) => void,
): void {
  for (const [client, ranges] of ds.clients) {
    const structs = store.clients.get(client)
    if (!structs) continue
    for (const { clock, len } of ranges) {
      const end = Math.min(clock + len, Y.getState(store, client))
      if (clock >= end) continue
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const s = structs[i] as Y.Item | Y.GC
        if (s.id.clock >= end) break
        if (!(s instanceof Y.Item)) continue
        f(s, Math.max(0, clock - s.id.clock), Math.min(s.length, end - s.id.clock))
      }
    }
  }
}

const inScope = (loc: Location | null): loc is Location =>
  loc !== null && (loc.path[0] === ROOT_SHEETS || loc.path[0] === ROOT_META)

/** What popping `stackItem` would do; `performed` false: nothing (Yjs then pops the next one). */
function stepEffects(
  doc: Y.Doc,
  at: Locator,
  um: Y.UndoManager,
  stackItem: StackItem,
): { performed: boolean; effects: Effect[] } {
  const store = doc.store
  const effects: Effect[] = []
  let performed = false
  // Items the step inserted that are alive now: the undo deletes them.
  eachStruct(store, stackItem.insertions, (s, from, to) => {
    let item: Y.Item | Y.GC = s
    let start = from
    if (s.redone !== null) {
      const r = followRedone(store, Y.createID(s.id.client, s.id.clock + from))
      item = r.item
      start = r.diff
    }
    if (!(item instanceof Y.Item) || item.deleted) return
    const loc = at.itemLocation(item)
    if (!inScope(loc)) return
    performed = true
    effects.push({
      loc,
      values: contentValues(item.content, start, start + (to - from)),
      deleted: true,
    })
  })
  // Items the step deleted: the undo restores copies of them (yjs `redoItem`). Yjs splits items at
  // the delete set's ranges first; a range may cover part of an item (Yjs merges a run of deleted
  // values of one map key into one item), so each part is taken with its own values.
  const candidates: { s: Y.Item; loc: Location; from: number; to: number }[] = []
  const candidateItems = new Set<Y.Item>()
  eachStruct(store, stackItem.deletions, (s, from, to) => {
    if (Y.isDeleted(stackItem.insertions, Y.createID(s.id.client, s.id.clock + from))) return
    const loc = at.itemLocation(s)
    if (!inScope(loc)) return
    candidates.push({ s, loc, from, to })
    candidateItems.add(s)
  })
  const deletedByStacks = (id: Y.ID) =>
    um.undoStack.some((x) => Y.isDeleted(x.deletions, id)) ||
    um.redoStack.some((x) => Y.isDeleted(x.deletions, id))
  for (const { s, loc, from, to } of candidates) {
    if (s.redone !== null) {
      // Restored before: Yjs counts it as done and changes nothing.
      performed = true
      continue
    }
    const parentItem = (s.parent as Y.AbstractType<unknown>)._item
    if (parentItem?.deleted && parentItem.redone === null && !candidateItems.has(parentItem))
      continue
    // A part that is not its item's tail has the rest of the item on its right, which Yjs's walk
    // below may or may not pass: counted as restored, with its value only a possibility.
    const uncertain = s.parentSub !== null && to < s.length
    if (s.parentSub !== null && s.right && !uncertain) {
      // A map key written since by someone else is not restored (a conflict in Yjs's words).
      let left: Y.Item | null = s
      while (
        left?.right &&
        (left.right.redone ||
          Y.isDeleted(stackItem.insertions, left.right.id) ||
          deletedByStacks(left.right.id))
      ) {
        left = left.right
        while (left.redone) left = Y.getItem(store, left.redone) as Y.Item
      }
      if (left?.right) continue
    }
    performed = true
    effects.push({ loc, values: contentValues(s.content, from, to), deleted: false, uncertain })
  }
  return { performed, effects }
}

/** Effects → changes, named as the server's classifier names an update's. */
function effectsToChanges(wb: Workbook, effects: Effect[]): Change[] {
  const changes = new Map<string, Change>()
  const batchCols = new Map<string, string[]>()
  const newRows: { sheetId: string; record: unknown[] }[] = []
  // Restores first: a cell both cleared (the step's own value deleted) and restored (the value
  // before it) ends with the restored value.
  const ordered = [...effects.filter((e) => !e.deleted), ...effects.filter((e) => e.deleted)]
  const cells = new Map<
    string,
    {
      sheetId: string
      rowId: string
      colId: string
      restored: CellValue[]
      deleted: boolean
      uncertain: boolean
    }
  >()
  for (const { loc, values, deleted, uncertain } of ordered) {
    const [root, sheetId, part, colId] = loc.path
    const depth = loc.path.length
    if (root !== ROOT_SHEETS) {
      changes.set(`meta|${root}`, { kind: 'structure', what: 'meta' })
      continue
    }
    if (depth <= 2 || sheetId === undefined) {
      const sid = depth === 1 ? (loc.sub ?? undefined) : sheetId
      changes.set(`sheet|${sid}`, { kind: 'structure', sheetId: sid, what: 'sheet' })
      continue
    }
    if (part === SHEET_COLUMNS) {
      if (depth === 4 && loc.sub && FREE_COLUMN_FIELDS.has(loc.sub)) continue
      changes.set(`col|${sheetId}|${colId ?? loc.sub}`, {
        kind: 'structure',
        sheetId,
        what: 'column',
      })
      continue
    }
    const sheetChange = () =>
      changes.set(`sheet|${sheetId}`, { kind: 'structure', sheetId, what: 'sheet' })
    if (depth !== 3) {
      sheetChange()
      continue
    }
    switch (part) {
      case SHEET_CELLS: {
        const k = loc.sub ? splitCellKey(loc.sub) : undefined
        if (!k) {
          sheetChange()
          break
        }
        const key = `${sheetId}|${loc.sub}`
        let cell = cells.get(key)
        if (!cell) {
          cell = {
            sheetId,
            rowId: k[0],
            colId: k[1],
            restored: [],
            deleted: false,
            uncertain: false,
          }
          cells.set(key, cell)
        }
        if (deleted) cell.deleted = true
        else {
          // Each restored value is a new item, in order; the last one is the cell's value.
          for (const overlay of values)
            cell.restored.push(Array.isArray(overlay) ? (overlay[0] as CellValue) : null)
          if (uncertain) cell.uncertain = true
        }
        break
      }
      case SHEET_ROWS:
        for (const record of values) {
          if (!Array.isArray(record) || typeof record[0] !== 'string') continue
          if (deleted)
            changes.set(`del|${sheetId}|${record[0]}`, {
              kind: 'row-delete',
              sheetId,
              rowId: record[0],
            })
          else newRows.push({ sheetId, record })
        }
        break
      case SHEET_BATCHES:
        if (!deleted && loc.sub && Array.isArray(values[0]))
          batchCols.set(`${sheetId}|${loc.sub}`, values[0] as string[])
        break
      case SHEET_ROW_ORDER:
        if (loc.sub)
          changes.set(`move|${sheetId}|${loc.sub}`, { kind: 'row-move', sheetId, rowId: loc.sub })
        break
      case SHEET_DELETIONS:
        for (const t of values) {
          if (Array.isArray(t) && typeof t[0] === 'string')
            changes.set(`del|${sheetId}|${t[0]}`, { kind: 'row-delete', sheetId, rowId: t[0] })
        }
        break
      default:
        sheetChange()
    }
  }
  // A cell ends with its last restored value, else cleared. Other values it may end with (an
  // earlier restore, or cleared when a restore is uncertain) are checked too: the check must not
  // pass a value the real undo could write.
  const alternatives: Change[] = []
  for (const [key, c] of cells) {
    const value = c.restored.length ? (c.restored[c.restored.length - 1] as CellValue) : null
    const cell = (v: CellValue): Change => ({
      kind: 'cell',
      sheetId: c.sheetId,
      rowId: c.rowId,
      colId: c.colId,
      value: v,
    })
    changes.set(`cell|${key}`, cell(value))
    if (c.restored.length <= 1 && !c.uncertain) continue
    const others = new Set<CellValue>(c.restored)
    if (c.uncertain && c.deleted) others.add(null)
    others.delete(value)
    for (const v of others) alternatives.push(cell(v))
  }
  // Restored rows are inserts with their values (and the step's cell writes to them folded in).
  const inserts = new Map<string, Extract<Change, { kind: 'row-insert' }>>()
  for (const { sheetId, record } of newRows) {
    const [rowId, , batchId, ...vals] = record as [string, string, string, ...CellValue[]]
    const cols = batchCols.get(`${sheetId}|${batchId}`) ?? batchColumns(wb, sheetId, batchId) ?? []
    const values: Record<string, CellValue> = {}
    cols.forEach((c, i) => {
      values[c] = vals[i] ?? null
    })
    inserts.set(`${sheetId}|${rowId}`, { kind: 'row-insert', sheetId, rowId, values })
  }
  for (const [key, c] of changes) {
    if (c.kind !== 'cell') continue
    const ins = inserts.get(`${c.sheetId}|${c.rowId}`)
    if (!ins) continue
    ;(ins.values as Record<string, CellValue>)[c.colId] = c.value ?? null
    changes.delete(key)
  }
  for (const ins of inserts.values()) changes.set(`ins|${ins.sheetId}|${ins.rowId}`, ins)
  // (Alternatives on a restored row are dropped with its folded cells: the insert is checked with
  // the row's values as the step restores them.)
  const folded = (c: Change) => c.kind === 'cell' && inserts.has(`${c.sheetId}|${c.rowId}`)
  return [...changes.values(), ...alternatives.filter((c) => !folded(c))]
}

/**
 * The changes pressing undo (redo) now would make, or null when there is nothing to undo. Reads
 * the doc and the stack only.
 */
export function undoStepChanges(
  wb: Workbook,
  um: Y.UndoManager,
  direction: UndoDirection,
): Change[] | null {
  const stack = direction === 'undo' ? um.undoStack : um.redoStack
  const effects: Effect[] = []
  const at = new Locator(wb.doc)
  for (let i = stack.length - 1; i >= 0; i--) {
    const step = stepEffects(wb.doc, at, um, stack[i] as StackItem)
    effects.push(...step.effects)
    if (step.performed) return effectsToChanges(wb, effects)
  }
  return null
}
