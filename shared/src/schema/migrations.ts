import type * as Y from 'yjs'
import { META_SCHEMA_VERSION, ROOT_META } from '../model/keys.js'

/**
 * Schema migrations, numbered 1, 2, 3… Each must be idempotent: two offline clients may run the
 * same one, and both runs then merge. Rules that keep a migration merge-safe:
 * - never create a nested shared type inside an existing map (two clients would each create one
 *   and one would win, dropping the other's contents); use plain values or root types;
 * - write values that are a pure function of the doc, so concurrent runs write the same thing.
 */
export interface Migration {
  version: number
  description: string
  up(doc: Y.Doc): void
}

export type MigrationResult =
  | { ok: true; from: number; to: number; applied: number[] }
  | { ok: false; reason: 'newer'; docVersion: number; codeVersion: number }

/** The migrations this code knows. Version 1 is the first released layout. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // The first released layout: nothing to change. It writes no defaults (title, createdAt):
    // a client opening a workbook before the server's state arrives would otherwise write values
    // concurrent with the creator's, and last-writer-wins could erase the real title.
    description: 'first released layout; only the version is stamped',
    up() {},
  },
]

/** Fails at module load if the list has a gap or is out of order (after tldraw's migration ids). */
export function checkMigrations(list: readonly Migration[]): number {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} missing (found ${m.version})`)
  })
  return list.length
}

export const SCHEMA_VERSION = checkMigrations(MIGRATIONS)

export function readSchemaVersion(doc: Y.Doc): number {
  const v = doc.getMap(ROOT_META).get(META_SCHEMA_VERSION)
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0
}

/**
 * Brings `doc` up to the code's schema version. The caller wraps this in one transaction.
 * A doc newer than the code is left untouched and reported, so it can open read-only.
 */
export function migrate(doc: Y.Doc, list: readonly Migration[] = MIGRATIONS): MigrationResult {
  const codeVersion = list.length
  const from = readSchemaVersion(doc)
  if (from > codeVersion) return { ok: false, reason: 'newer', docVersion: from, codeVersion }
  const applied: number[] = []
  for (const m of list) {
    if (m.version <= from) continue
    m.up(doc)
    applied.push(m.version)
  }
  // A concurrent client on older code may write a lower version (last writer wins); then this
  // client re-runs the newer migrations on next open, which idempotency makes harmless.
  if (applied.length > 0) doc.getMap(ROOT_META).set(META_SCHEMA_VERSION, codeVersion)
  return { ok: true, from, to: Math.max(from, codeVersion), applied }
}
