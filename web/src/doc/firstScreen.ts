/**
 * The first-screen cache: a small record, kept next to a workbook's stored updates, of what its
 * first screen shows (the first sheet's columns and first rows, as the grid renders them), so a
 * reload can paint those rows before the doc is read and applied.
 *
 * The exactness rule. The record carries the fingerprint of the stored updates it was made from
 * (the update store's highest key and record count), read in the same transaction that writes the
 * record; the open reads the record and the current fingerprint in ONE readonly transaction and
 * uses the record only if they match. Update keys only grow (autoIncrement never reuses a key) and
 * a compaction puts the union of the records it merges under the highest of their keys, so the
 * content of the store is determined by its highest key: any later write, from any tab, changes
 * the fingerprint; a compaction changes the count. A record is written only by a session whose
 * doc holds every stored record (each key was loaded or written by it: `IdbPersistence`), with
 * nothing queued or being written, so the record is what applying the stored updates shows.
 *
 * This module is imported by the entry chunk (the read starts at navigation): no yjs, no shared/.
 */
import type { Column, RowView } from '@taizhang/shared'
import { requestToPromise, SCREEN_STORE, transactionDone, UPDATES_STORE } from './idb'

/** Rows kept: more than any screen shows at the first frame (rowBuffer is 0 then). */
export const FIRST_SCREEN_ROWS = 60
/** The record's one key in SCREEN_STORE. */
export const FIRST_SCREEN_KEY = 'first'
const VERSION = 1

/** What the update store held when the record was made. */
export interface StoreFingerprint {
  /** Highest key in the update store (0 when empty). */
  lastKey: number
  count: number
}

/** What the first screen shows; built from the open workbook (`workbook/firstScreenBuild.ts`). */
export interface FirstScreenBody {
  title: string
  /** Every sheet's tab, in order; the first one is shown at open. */
  sheets: { id: string; name: string }[]
  sheetId: string
  /** The shown sheet's live columns in display order (names, types, widths, formats). */
  columns: Column[]
  /** Its first rows, in display order, with the values the grid renders. */
  rows: RowView[]
  rowCount: number
  /** Labels of referenced rows shown by reference cells: `colId \u0000 rowId` → label. */
  refLabels: Record<string, string>
  /**
   * Sort and filter of the first screen. A grid opens unsorted and unfiltered (AG Grid's sort
   * and filter live only as long as the page), so this is always null today; a record with
   * either set is not used.
   */
  sort: null
  filter: null
}

export interface FirstScreen extends FirstScreenBody {
  v: typeof VERSION
  fingerprint: StoreFingerprint
  /** When it was written (ms since epoch), for debugging. */
  at: number
}

export function refLabelKey(colId: string, rowId: string): string {
  return colId + '\u0000' + rowId
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x)
const isStr = (x: unknown): x is string => typeof x === 'string'
const isScalar = (x: unknown) =>
  x === null ||
  typeof x === 'string' ||
  typeof x === 'boolean' ||
  (typeof x === 'number' && Number.isFinite(x))

function isColumn(x: unknown): x is Column {
  return (
    isObj(x) &&
    isStr(x.id) &&
    isStr(x.name) &&
    isStr(x.type) &&
    isObj(x.constraints) &&
    isObj(x.format) &&
    typeof x.width === 'number' &&
    isStr(x.order)
  )
}

function isRow(x: unknown): x is RowView {
  return isObj(x) && isStr(x.id) && isObj(x.cells) && Object.values(x.cells).every(isScalar)
}

export function isFingerprint(x: unknown): x is StoreFingerprint {
  return (
    isObj(x) &&
    typeof x.lastKey === 'number' &&
    typeof x.count === 'number' &&
    Number.isFinite(x.lastKey) &&
    Number.isInteger(x.count)
  )
}

/** The record as stored, checked field by field; null if it is not one we can show. */
export function parseFirstScreen(x: unknown): FirstScreen | null {
  if (!isObj(x) || x.v !== VERSION || !isFingerprint(x.fingerprint)) return null
  if (!isStr(x.title) || !isStr(x.sheetId) || typeof x.rowCount !== 'number') return null
  if (x.sort !== null || x.filter !== null) return null
  if (!Array.isArray(x.sheets) || !x.sheets.every((s) => isObj(s) && isStr(s.id) && isStr(s.name)))
    return null
  if (x.sheets[0]?.id !== x.sheetId) return null
  if (!Array.isArray(x.columns) || !x.columns.every(isColumn)) return null
  if (!Array.isArray(x.rows) || !x.rows.every(isRow)) return null
  if (!isObj(x.refLabels) || !Object.values(x.refLabels).every(isStr)) return null
  return x as unknown as FirstScreen
}

export function sameFingerprint(a: StoreFingerprint, b: StoreFingerprint): boolean {
  return a.lastKey === b.lastKey && a.count === b.count
}

/** The record to store for `body`, made from the store as `fingerprint` describes it. */
export function makeFirstScreen(
  body: FirstScreenBody,
  fingerprint: StoreFingerprint,
  at = Date.now(),
): FirstScreen {
  return { v: VERSION, fingerprint, at, ...body }
}

/**
 * The record, if it was made from exactly what the update store holds now: the record and the
 * store's fingerprint are read in one readonly transaction. Never rejects (null on any failure).
 */
export async function readFirstScreen(db: IDBDatabase): Promise<FirstScreen | null> {
  try {
    if (!db.objectStoreNames.contains(SCREEN_STORE)) return null
    const tx = db.transaction([UPDATES_STORE, SCREEN_STORE], 'readonly')
    const updates = tx.objectStore(UPDATES_STORE)
    const [raw, count, last] = await Promise.all([
      requestToPromise(tx.objectStore(SCREEN_STORE).get(FIRST_SCREEN_KEY)),
      requestToPromise(updates.count()),
      requestToPromise(updates.openKeyCursor(null, 'prev')),
    ])
    const screen = parseFirstScreen(raw)
    if (!screen) return null
    const now = { lastKey: typeof last?.key === 'number' ? last.key : 0, count }
    return sameFingerprint(screen.fingerprint, now) ? screen : null
  } catch {
    return null
  }
}

/**
 * Writes the record for the store as it is now, in one readwrite transaction over both stores:
 * the store's keys are read there, and the record is written only if every one of them is
 * `known` (its content is in the doc the body is built from); `build` runs inside the
 * transaction, synchronously. Resolves whether a record was written. Relaxed durability: the
 * record is advisory (a lost one only means the next open paints from the doc).
 */
export async function writeFirstScreen(
  db: IDBDatabase,
  known: (key: IDBValidKey) => boolean,
  build: () => FirstScreenBody | null,
): Promise<boolean> {
  if (!db.objectStoreNames.contains(SCREEN_STORE)) return false
  const tx = db.transaction([UPDATES_STORE, SCREEN_STORE], 'readwrite', { durability: 'relaxed' })
  const done = transactionDone(tx).then(
    () => true,
    () => false,
  )
  let wrote = false
  const keys = await requestToPromise(tx.objectStore(UPDATES_STORE).getAllKeys()).catch(() => null)
  if (keys?.every(known)) {
    const last = keys[keys.length - 1]
    let body: FirstScreenBody | null = null
    try {
      body = build()
    } catch {
      body = null
    }
    if (body) {
      const fingerprint = { lastKey: typeof last === 'number' ? last : 0, count: keys.length }
      tx.objectStore(SCREEN_STORE).put(makeFirstScreen(body, fingerprint), FIRST_SCREEN_KEY)
      wrote = true
    }
  }
  return (await done) && wrote
}
