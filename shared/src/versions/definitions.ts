import type { Change } from '../access/checkChange.js'
import {
  type DefinitionKind,
  DefinitionKinds,
  deleteDefinition,
  readDefinitions,
  writeDefinition,
} from '../model/definitions.js'
import { RESTORE_EDIT } from '../model/origins.js'
import type { Workbook } from '../model/workbook.js'
import type { DiffKind } from './compare.js'

/**
 * The report definitions a rollback brings back with the data (computed columns, validation rules,
 * summaries, charts, the report page, completeness settings, totals rows): they describe the
 * ledger's structure, and figures computed from rolled-back data by today's definitions would
 * match neither then nor now. `complete` marks are not among them: a mark is a station's sign-off
 * (who, when), a statement like a period lock that a rollback by someone else must not withdraw
 * silently. Access rules and period locks (root `access`) are never touched by a rollback either.
 */
export const ROLLED_BACK_DEFINITIONS: readonly DefinitionKind[] = [
  DefinitionKinds.computed,
  DefinitionKinds.rule,
  DefinitionKinds.summary,
  DefinitionKinds.chart,
  DefinitionKinds.report,
  DefinitionKinds.completeness,
  DefinitionKinds.totals,
]

/** One report definition that differs between a version (`before`) and now (`after`). */
export interface DefinitionDiff {
  kind: DefinitionKind
  id: string
  /** added: only now; removed: only in the version; changed: in both, different. */
  change: DiffKind
  /** The version's value (undefined: absent there). */
  before: unknown
  /** The value now (undefined: absent now). */
  after: unknown
}

/** JSON text with object keys sorted, so two equal definitions compare equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : x,
  )
}

/**
 * The report definitions (`ROLLED_BACK_DEFINITIONS`) that differ between a version and now, kind by
 * kind in that order, then by id. Pure; for the compare view and the rollback.
 */
export function compareDefinitions(version: Workbook, current: Workbook): DefinitionDiff[] {
  const out: DefinitionDiff[] = []
  for (const kind of ROLLED_BACK_DEFINITIONS) {
    const then = new Map(readDefinitions<unknown>(version, kind))
    const now = new Map(readDefinitions<unknown>(current, kind))
    const ids = [...new Set([...then.keys(), ...now.keys()])].sort()
    for (const id of ids) {
      const before = then.get(id)
      const after = now.get(id)
      if (before === undefined) out.push({ kind, id, change: 'added', before, after })
      else if (after === undefined) out.push({ kind, id, change: 'removed', before, after })
      else if (canonical(before) !== canonical(after))
        out.push({ kind, id, change: 'changed', before, after })
    }
  }
  return out
}

/**
 * Writes a definition's value back (undefined: deletes it), joining the caller's transaction.
 * Shared by the rollback and by the undo of a rollback's definitions.
 */
export function putDefinition(
  wb: Workbook,
  kind: DefinitionKind,
  id: string,
  value: unknown,
): void {
  if (value === undefined) deleteDefinition(wb, kind, id, RESTORE_EDIT)
  else writeDefinition(wb, kind, id, value, RESTORE_EDIT)
}

/**
 * Brings the report definitions to the version's, each one `allow`ed first (the same checker as
 * the server's: a definition the user may not change is left as it is). Returns what it wrote
 * (for the undo of the rollback) and how many it left.
 */
export function rollDefinitions(
  version: Workbook,
  current: Workbook,
  allow: (change: Change) => boolean,
): { written: DefinitionDiff[]; refused: number } {
  const written: DefinitionDiff[] = []
  let refused = 0
  for (const d of compareDefinitions(version, current)) {
    if (!allow({ kind: 'definition', defKind: d.kind, id: d.id })) {
      refused++
      continue
    }
    putDefinition(current, d.kind, d.id, d.before)
    written.push(d)
  }
  return { written, refused }
}
