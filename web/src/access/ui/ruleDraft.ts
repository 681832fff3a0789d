/**
 * The rules editor's form, checked before anything is written (issue 16 §1): a rule names a role,
 * its sheets and columns, and an optional row condition in the expression language. The
 * condition is compiled with the shared expression compiler against each chosen sheet (column
 * names must exist there; `user.station`, `user.district`, `user.role`… are known), so a rule that
 * would fail closed on the server is refused here with the compiler's zh/en message.
 */
import {
  type AccessRule,
  compileSource,
  createWorkbookScopes,
  isRole,
  type Role,
  userRecord,
  type Workbook,
} from '@taizhang/shared'

export interface RuleDraft {
  id?: string
  role: Role
  /** Sheet ids, or '*' for all. */
  sheets: readonly string[] | '*'
  /** Column ids (of the one chosen sheet), or '*' for all. */
  columns: readonly string[] | '*'
  condition: string
}

export type DraftProblem =
  | { kind: 'sheets' }
  | { kind: 'columns' }
  | { kind: 'role' }
  | { kind: 'condition'; sheetName?: string; message: { zh: string; en: string } }

export type DraftResult = { ok: true; rule: AccessRule } | { ok: false; problem: DraftProblem }

/** A sample user of the rule's role: conditions may read every field of `user`. */
const SAMPLE_USER = userRecord({ role: 'scoped-editor', name: '', scope: { station: '' } })

/**
 * Compiles `condition` against the sheets: each named sheet must accept it; for "all sheets" one
 * is enough (in a sheet without the columns it reads the rule grants nothing, as on the server).
 */
function checkCondition(
  wb: Workbook,
  condition: string,
  sheetIds: readonly string[],
  anySheet: boolean,
): DraftProblem | undefined {
  const scopes = createWorkbookScopes(wb)
  try {
    let first: DraftProblem | undefined
    for (const sheetId of sheetIds) {
      const scope = scopes.scope(sheetId, { user: SAMPLE_USER })
      if (!scope) continue
      const c = compileSource(condition, scope)
      if (c.ok) {
        if (anySheet) return undefined
        continue
      }
      const problem: DraftProblem = {
        kind: 'condition',
        message: c.error.message,
        ...(sheetIds.length > 1 && !anySheet ? { sheetName: wb.sheet(sheetId).name } : {}),
      }
      if (!anySheet) return problem
      first ??= problem
    }
    return first
  } finally {
    scopes.dispose()
  }
}

/** Checks a draft and returns the rule to store, or the first problem. `newId` names a new rule. */
export function checkRuleDraft(wb: Workbook, draft: RuleDraft, newId: () => string): DraftResult {
  if (!isRole(draft.role)) return { ok: false, problem: { kind: 'role' } }
  const sheetIds =
    draft.sheets === '*'
      ? wb.listSheets().map((s) => s.id)
      : draft.sheets.filter((id) => wb.hasSheet(id))
  if (draft.sheets !== '*' && sheetIds.length === 0) {
    return { ok: false, problem: { kind: 'sheets' } }
  }
  if (draft.columns !== '*' && draft.columns.length === 0) {
    return { ok: false, problem: { kind: 'columns' } }
  }
  const condition = draft.condition.trim()
  if (condition !== '') {
    const problem = checkCondition(wb, condition, sheetIds, draft.sheets === '*')
    if (problem) return { ok: false, problem }
  }
  return {
    ok: true,
    rule: {
      id: draft.id ?? newId(),
      role: draft.role,
      sheets: draft.sheets === '*' ? '*' : [...sheetIds],
      columns: draft.columns === '*' ? '*' : [...draft.columns],
      ...(condition ? { condition } : {}),
    },
  }
}
