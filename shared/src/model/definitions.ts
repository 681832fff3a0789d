/**
 * issue 14 (ledger): definitions stored in the doc (computed columns, rules, summaries, charts, the
 * report page, completeness settings and marks), one plain JSON value per key of the root map
 * `ROOT_LEDGER`. Keys are `<kind>:<id>`; a root map is created implicitly by every client, so there is
 * nothing to race on, and per-key last-writer-wins merges concurrent edits of different definitions.
 */
import type * as Y from 'yjs'
import { ROOT_LEDGER } from './keys.js'
import { LOCAL_EDIT, type Origin } from './origins.js'
import type { Workbook } from './workbook.js'

/** The kinds of definition; a key is `${kind}:${id}`. */
export const DefinitionKinds = {
  computed: 'computed',
  rule: 'rule',
  summary: 'summary',
  chart: 'chart',
  report: 'report',
  completeness: 'completeness',
  complete: 'complete',
  /** A sheet's totals row: column id → sum | avg | count | min | max | none. */
  totals: 'totals',
} as const
export type DefinitionKind = (typeof DefinitionKinds)[keyof typeof DefinitionKinds]

function ledgerMap(wb: Workbook): Y.Map<unknown> {
  return wb.doc.getMap(ROOT_LEDGER)
}

/** Every definition of a kind, as `[id, value]` sorted by id (ids may contain `:`). */
export function readDefinitions<T>(wb: Workbook, kind: DefinitionKind): [id: string, value: T][] {
  const prefix = `${kind}:`
  const out: [string, T][] = []
  for (const [key, value] of ledgerMap(wb)) {
    if (key.startsWith(prefix) && value !== null && value !== undefined)
      out.push([key.slice(prefix.length), value as T])
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** One definition, or undefined. */
export function readDefinition<T>(wb: Workbook, kind: DefinitionKind, id: string): T | undefined {
  const v = ledgerMap(wb).get(`${kind}:${id}`)
  return v === null || v === undefined ? undefined : (v as T)
}

/** Store (replace) a definition: a plain JSON value, never a Y type. */
export function writeDefinition(
  wb: Workbook,
  kind: DefinitionKind,
  id: string,
  value: unknown,
  origin: Origin = LOCAL_EDIT,
): void {
  if (wb.readOnly) return
  wb.transact(() => ledgerMap(wb).set(`${kind}:${id}`, JSON.parse(JSON.stringify(value))), origin)
}

/** Remove a definition. */
export function deleteDefinition(
  wb: Workbook,
  kind: DefinitionKind,
  id: string,
  origin: Origin = LOCAL_EDIT,
): void {
  if (wb.readOnly) return
  wb.transact(() => ledgerMap(wb).delete(`${kind}:${id}`), origin)
}

/** Calls `cb` with the changed keys after every transaction that touched a definition; returns the off switch. */
export function onDefinitionsChange(
  wb: Workbook,
  cb: (keys: Set<string>, local: boolean) => void,
): () => void {
  const map = ledgerMap(wb)
  const handler = (e: Y.YMapEvent<unknown>) => cb(new Set(e.keysChanged), e.transaction.local)
  map.observe(handler)
  return () => map.unobserve(handler)
}
