/**
 * "What does this update change?" (issue 16 §2): decode a Yjs update's structs and delete set
 * against the doc it is about to be applied to, and name each change the way `checkChange` reads
 * them (a cell, a row inserted/deleted/moved, structure, a rule, a lock record, a definition).
 * Pure (yjs only), so the server decides with it and the client can tell which of its pending
 * changes a refusal covers.
 *
 * Where an item lives: an encoded item names its parent only when it has no origin; otherwise Yjs
 * infers parent and map key from the origin (or right origin) item, so we do the same, looking the
 * origin up in the update itself or in the doc. An origin that the doc has garbage-collected makes
 * Yjs drop the item (it becomes GC), so it changes nothing; an origin found nowhere (the update
 * depends on changes the server has not seen) is `unresolved`. Hand-written against the decoded
 * structs because no library classifies Yjs updates by document path.
 */
import * as Y from 'yjs'
import {
  ROOT_HISTORY,
  ROOT_LEDGER,
  ROOT_ROW_LOG,
  ROOT_SETTLEMENTS,
  ROOT_SHEETS,
  SHEET_BATCHES,
  SHEET_CELLS,
  SHEET_COLUMNS,
  SHEET_DELETIONS,
  SHEET_ROW_ORDER,
  SHEET_ROWS,
  splitCellKey,
} from '../model/keys.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { ROOT_ACCESS } from './accessDoc.js'
import type { Change } from './checkChange.js'
import { batchColumns, type DocPlace, FREE_COLUMN_FIELDS, rootNameOf } from './docPlaces.js'
import { type ParsedUpdate, parsedUpdate } from './parsedUpdate.js'

/** A change the decoder could not place: it refers to structs neither the update nor the doc holds. */
export interface Unresolved {
  kind: 'unresolved'
}
export type ClassifiedChange = Change | Unresolved

/** Roots whose entries only accompany data edits (edit logs, settlements): checked through those edits. */
const LOG_ROOTS = new Set([ROOT_HISTORY, ROOT_ROW_LOG, ROOT_SETTLEMENTS])
type Location = DocPlace

type DecodedItem = Y.Item

function contentValues(content: unknown, offset: number): unknown[] {
  if (content instanceof Y.ContentAny) return content.arr.slice(offset)
  if (content instanceof Y.ContentJSON) return content.arr.slice(offset)
  if (content instanceof Y.ContentString) return [content.str.slice(offset)]
  if (content instanceof Y.ContentType) return [content.type]
  return []
}

/**
 * The values an insert brings (`to` undefined: from `from` on) or a deletion removes (the `[from,
 * to)` slice of them), read only where `place` needs them (a deleted cell value needs none).
 */
function valuesIn(content: unknown, from: number, to: number | undefined): unknown[] {
  return to === undefined ? contentValues(content, from) : contentValues(content, 0).slice(from, to)
}

type Found = Location | 'gc' | 'unresolved'

/**
 * A doc type → its path from the root (root name first), kept across updates: a type never moves
 * (its item's parent and key are fixed when it is created, and a root placeholder that Yjs
 * replaces by a typed root keeps its name), so a path computed once stays right; only found paths
 * are kept. Every update locates its items through their origin's type (the sheet's `cells` map
 * for a cell edit): this saves rebuilding the same path up to the root for each of them.
 */
const typePaths = new WeakMap<Y.AbstractType<unknown>, string[]>()

/**
 * The changes `update` would make to `wb`'s doc, deduplicated (last value of a cell wins). Given a
 * `ParsedUpdate`, its decoded structs are reused (the server decodes each update once).
 */
export function classifyUpdate(
  wb: Workbook,
  update: Uint8Array | ParsedUpdate,
): ClassifiedChange[] {
  return new Classifier(wb, parsedUpdate(update).decoded).run()
}

/**
 * One classification. A class rather than closures inside `classifyUpdate`: this runs for every
 * update a server receives, and its methods are made once, not per call (measured: the per-call
 * closures were about a third of the time, bench/access/inprocess.bench.ts).
 */
class Classifier {
  private readonly store: Y.Doc['store']
  /** The update's own items, per client sorted by clock, for origin lookups. */
  private readonly own = new Map<number, DecodedItem[]>()
  private readonly memo = new Map<DecodedItem, Found>()
  private readonly changes = new Map<string, ClassifiedChange>()
  /** `${sheetId}|${batchId}` → column ids (from the update). */
  private readonly batchCols = new Map<string, string[]>()
  private readonly pendingRows: { sheetId: string; record: unknown[] }[] = []

  constructor(
    private readonly wb: Workbook,
    private readonly decoded: ReturnType<typeof Y.decodeUpdate>,
  ) {
    this.store = wb.doc.store
    for (const s of decoded.structs) {
      if (!(s instanceof Y.Item)) continue
      let list = this.own.get(s.id.client)
      if (!list) {
        list = []
        this.own.set(s.id.client, list)
      }
      list.push(s)
    }
    for (const list of this.own.values())
      if (list.length > 1) list.sort((a, b) => a.id.clock - b.id.clock)
  }

  private findOwn(id: Y.ID): DecodedItem | undefined {
    const list = this.own.get(id.client)
    if (!list) return undefined
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const it = list[mid] as DecodedItem
      if (id.clock < it.id.clock) hi = mid - 1
      else if (id.clock >= it.id.clock + it.length) lo = mid + 1
      else return it
    }
    return undefined
  }

  private inDoc(id: Y.ID): boolean {
    return Y.getState(this.store, id.client) > id.clock
  }

  private typePathInDoc(type: Y.AbstractType<unknown>): string[] | null {
    const hit = typePaths.get(type)
    if (hit) return hit
    let path: string[] | null
    const item = type._item
    if (!item) {
      const name = rootNameOf(this.wb.doc, type)
      path = name === undefined ? null : [name]
    } else {
      const loc = this.docItemLocation(item)
      path = loc ? [...loc.path, loc.sub ?? '#'] : null
    }
    if (path) typePaths.set(type, path)
    return path
  }

  private docItemLocation(item: Y.Item): Location | null {
    const parent = item.parent as Y.AbstractType<unknown> | null
    if (!parent) return null
    const path = this.typePathInDoc(parent)
    return path ? { path, sub: item.parentSub } : null
  }

  private locateOwn(item: DecodedItem, depth = 0): Found {
    const hit = this.memo.get(item)
    if (hit) return hit
    let out: Found = 'unresolved'
    const parent = item.parent as unknown
    if (depth > 10_000) out = 'unresolved'
    else if (typeof parent === 'string') out = { path: [parent], sub: item.parentSub }
    else if (parent instanceof Y.ID) {
      const p = this.locateId(parent, depth)
      out = typeof p === 'string' ? p : { path: [...p.path, p.sub ?? '#'], sub: item.parentSub }
    } else {
      const ref = (item.origin ?? item.rightOrigin) as Y.ID | null
      out = ref ? this.locateId(ref, depth) : 'unresolved'
    }
    this.memo.set(item, out)
    return out
  }

  /** Where the item holding `id` lives (its parent path and key). */
  private locateId(id: Y.ID, depth: number): Found {
    if (this.inDoc(id)) {
      // The doc's struct holding `id` (an Item, or GC).
      const s = Y.getItem(this.store, id) as Y.Item | Y.GC
      if (!(s instanceof Y.Item)) return 'gc'
      return this.docItemLocation(s) ?? 'gc'
    }
    const o = this.findOwn(id)
    return o ? this.locateOwn(o, depth + 1) : 'unresolved'
  }

  private add(key: string, c: ClassifiedChange): void {
    this.changes.set(key, c)
  }

  /**
   * Names the change at `loc`. `fromDoc`: a deletion of an item the doc holds; for a cell it is the
   * old value being replaced when the update also writes the cell, so it does not override that.
   */
  private place(
    loc: Location,
    content: unknown,
    from: number,
    to: number | undefined,
    deleted: boolean,
    fromDoc = false,
  ): void {
    const [root, sheetId, part, colId] = loc.path
    const depth = loc.path.length
    if (root === undefined) return
    if (LOG_ROOTS.has(root)) return
    if (root === ROOT_ACCESS) {
      const key = loc.sub ?? ''
      if (depth === 1 && key.startsWith('rule:')) this.add('rules', { kind: 'rules' })
      else if (depth === 1 && /^(lock|exception|autolock):/.test(key)) {
        const sid = key.slice(key.indexOf(':') + 1).split('|')[0] ?? ''
        this.add(`lock|${sid}`, { kind: 'lock', sheetId: sid })
      } else this.add('rules', { kind: 'rules' })
      return
    }
    if (root === ROOT_LEDGER && depth === 1 && loc.sub) {
      const i = loc.sub.indexOf(':')
      const defKind = i > 0 ? loc.sub.slice(0, i) : loc.sub
      this.add(`def|${loc.sub}`, { kind: 'definition', defKind, id: loc.sub.slice(i + 1) })
      return
    }
    if (root !== ROOT_SHEETS) {
      this.add(`meta|${root}`, { kind: 'structure', what: 'meta' })
      return
    }
    if (depth === 1 || sheetId === undefined) {
      this.add(`sheet|${loc.sub}`, {
        kind: 'structure',
        sheetId: loc.sub ?? undefined,
        what: 'sheet',
      })
      return
    }
    if (depth === 2) {
      this.add(`sheet|${sheetId}`, { kind: 'structure', sheetId, what: 'sheet' })
      return
    }
    if (part === SHEET_COLUMNS) {
      if (depth === 4 && loc.sub && FREE_COLUMN_FIELDS.has(loc.sub)) return
      this.add(`col|${sheetId}|${colId ?? loc.sub}`, { kind: 'structure', sheetId, what: 'column' })
      return
    }
    if (depth !== 3) {
      this.add(`sheet|${sheetId}`, { kind: 'structure', sheetId, what: 'sheet' })
      return
    }
    switch (part) {
      case SHEET_CELLS: {
        const k = loc.sub ? splitCellKey(loc.sub) : undefined
        if (!k) {
          this.add(`sheet|${sheetId}`, { kind: 'structure', sheetId, what: 'sheet' })
          return
        }
        const key = `cell|${sheetId}|${loc.sub}`
        if (fromDoc && this.changes.has(key)) return
        const overlay = deleted ? undefined : valuesIn(content, from, to)[0]
        const value = Array.isArray(overlay) ? (overlay[0] as CellValue) : null
        this.add(key, {
          kind: 'cell',
          sheetId,
          rowId: k[0],
          colId: k[1],
          value,
        })
        return
      }
      case SHEET_ROWS:
        for (const record of valuesIn(content, from, to)) {
          if (!Array.isArray(record) || typeof record[0] !== 'string') continue
          if (deleted)
            this.add(`del|${sheetId}|${record[0]}`, {
              kind: 'row-delete',
              sheetId,
              rowId: record[0],
            })
          else this.pendingRows.push({ sheetId, record })
        }
        return
      case SHEET_BATCHES: {
        const cols = deleted || !loc.sub ? undefined : valuesIn(content, from, to)[0]
        if (loc.sub && Array.isArray(cols)) this.batchCols.set(`${sheetId}|${loc.sub}`, cols)
        return
      }
      case SHEET_ROW_ORDER:
        if (loc.sub)
          this.add(`move|${sheetId}|${loc.sub}`, { kind: 'row-move', sheetId, rowId: loc.sub })
        return
      case SHEET_DELETIONS:
        for (const t of valuesIn(content, from, to)) {
          if (Array.isArray(t) && typeof t[0] === 'string')
            this.add(`del|${sheetId}|${t[0]}`, { kind: 'row-delete', sheetId, rowId: t[0] })
        }
        return
      default:
        this.add(`sheet|${sheetId}`, { kind: 'structure', sheetId, what: 'sheet' })
    }
  }

  run(): ClassifiedChange[] {
    const store = this.store
    // A client's first new struct must continue where the doc's clock for it ends; a gap means the
    // update builds on structs the server never applied (Yjs would park it as pending).
    for (const [client, list] of this.own) {
      const first = list[0]
      if (first && first.id.clock > Y.getState(store, client))
        this.add('unresolved', { kind: 'unresolved' })
    }

    // Inserted items: the part the doc does not have yet.
    for (const items of this.own.values()) {
      for (const it of items) {
        const known = Y.getState(store, it.id.client) - it.id.clock
        if (known >= it.length) continue
        const loc = this.locateOwn(it)
        if (loc === 'gc') continue
        if (loc === 'unresolved') {
          this.add('unresolved', { kind: 'unresolved' })
          continue
        }
        // A cell value the same update also deletes (overwritten, or cleared) reads as cleared;
        // items are visited in clock order, so the cell's last write names its value.
        const gone =
          loc.path[0] === ROOT_SHEETS &&
          loc.path[2] === SHEET_CELLS &&
          Y.isDeleted(this.decoded.ds, it.id)
        this.place(loc, it.content, Math.max(0, known), undefined, gone)
      }
    }

    // Deleted items the doc holds (items both created and deleted by this update change nothing).
    for (const [client, ranges] of this.decoded.ds.clients) {
      const docStructs = store.clients.get(client)
      if (!docStructs) continue
      for (const { clock, len } of ranges) {
        const end = Math.min(clock + len, Y.getState(store, client))
        if (clock >= end) continue
        for (let i = Y.findIndexSS(docStructs, clock); i < docStructs.length; i++) {
          const s = docStructs[i] as Y.Item | Y.GC
          if (s.id.clock >= end) break
          if (!(s instanceof Y.Item) || s.deleted) continue
          const loc = this.docItemLocation(s)
          if (!loc) continue
          const from = Math.max(0, clock - s.id.clock)
          const to = Math.min(s.length, end - s.id.clock)
          this.place(loc, s.content, from, to, true, true)
        }
      }
    }

    const changes = this.changes
    if (this.pendingRows.length === 0) return [...changes.values()]
    // Row inserts, with their values by column id (the batch from the update or the doc), and the
    // cell edits the same update makes to those new rows folded in.
    const inserts = new Map<
      string,
      { sheetId: string; rowId: string; values: Record<string, CellValue> }
    >()
    for (const { sheetId, record } of this.pendingRows) {
      const [rowId, , batchId, ...vals] = record as [string, string, string, ...CellValue[]]
      const cols =
        this.batchCols.get(`${sheetId}|${batchId}`) ?? batchColumns(this.wb, sheetId, batchId) ?? []
      const values: Record<string, CellValue> = {}
      cols.forEach((c, i) => {
        values[c] = vals[i] ?? null
      })
      inserts.set(`${sheetId}|${rowId}`, { sheetId, rowId, values })
    }
    for (const [key, c] of changes) {
      if (c.kind !== 'cell') continue
      const ins = inserts.get(`${c.sheetId}|${c.rowId}`)
      if (!ins) continue
      ins.values[c.colId] = c.value ?? null
      changes.delete(key)
    }
    for (const ins of inserts.values()) {
      changes.set(`ins|${ins.sheetId}|${ins.rowId}`, { kind: 'row-insert', ...ins })
    }
    return [...changes.values()]
  }
}
