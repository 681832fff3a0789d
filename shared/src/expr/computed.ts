/**
 * Computed columns and cross-field rules: definitions in the doc (model/definitions.ts), values
 * computed on every replica and never stored per row (STYLE "Computed, not stored").
 */

import { deleteDefinition, readDefinitions, writeDefinition } from '../model/definitions.js'
import { createIdGenerator } from '../model/ids.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { type CompiledExpr, compileSource, type ExprRowError, type ExprScope } from './evaluate.js'
import type { ExprError } from './parse.js'

/** A computed column of a sheet: read-only, its value an expression over the row. */
export interface ComputedColumnDef {
  sheetId: string
  name: string
  expr: string
  /** Digits after the decimal point when shown. */
  decimals?: number
  /** A unit shown after the figure (人次, 元, %). */
  unit?: string
}

export type RuleLevel = 'error' | 'warning'

/** A cross-field rule: `expr` must hold for every row; a row where it is false is a problem. */
export interface RuleDef {
  sheetId: string
  expr: string
  level: RuleLevel
  /** The user's own message (shown as written); empty → a generated zh/en message. */
  message?: string
}

/** A row that breaks a rule, shown like the existing problems. */
export interface RuleProblem {
  rowId: string
  ruleId: string
  level: RuleLevel
  message: { zh: string; en: string }
}

const newId = createIdGenerator()

export type DefinitionResult = { ok: true; id: string } | { ok: false; error: ExprError }

function reservedName(def: ComputedColumnDef, scope: ExprScope): ExprError | undefined {
  const name = def.name.trim()
  if (name === '')
    return {
      kind: 'empty',
      at: 0,
      length: 0,
      message: { zh: '计算列需要一个名称', en: 'A computed column needs a name' },
    }
  if (scope.sheet.columns().some((c) => c.name === name))
    return {
      kind: 'syntax',
      at: 0,
      length: 0,
      message: { zh: `已有名为“${name}”的列`, en: `There is already a column named "${name}"` },
    }
  return undefined
}

/**
 * Add or replace a computed column. A bad expression is refused with a located zh/en message and
 * writes nothing.
 */
export function saveComputedColumn(
  wb: Workbook,
  scope: ExprScope,
  def: ComputedColumnDef,
  id?: string,
): DefinitionResult {
  const bad = reservedName(def, scope)
  if (bad) return { ok: false, error: bad }
  const c = compileSource(def.expr, scope)
  if (!c.ok) return c
  const key = id ?? `${def.sheetId}:${newId(8)}`
  writeDefinition(wb, 'computed', key, { ...def, name: def.name.trim() })
  return { ok: true, id: key }
}

/** Add or replace a rule; a bad expression writes nothing. */
export function saveRule(
  wb: Workbook,
  scope: ExprScope,
  def: RuleDef,
  id?: string,
): DefinitionResult {
  const c = compileSource(def.expr, scope)
  if (!c.ok) return c
  const key = id ?? `${def.sheetId}:${newId(8)}`
  writeDefinition(wb, 'rule', key, def)
  return { ok: true, id: key }
}

export function removeComputedColumn(wb: Workbook, id: string): void {
  deleteDefinition(wb, 'computed', id)
}

export function removeRule(wb: Workbook, id: string): void {
  deleteDefinition(wb, 'rule', id)
}

/** A sheet's computed columns, oldest first. */
export function computedColumnsOf(
  wb: Workbook,
  sheetId: string,
): [id: string, def: ComputedColumnDef][] {
  return readDefinitions<ComputedColumnDef>(wb, 'computed').filter(([, d]) => d.sheetId === sheetId)
}

/** A sheet's rules. */
export function rulesOf(wb: Workbook, sheetId: string): [id: string, def: RuleDef][] {
  return readDefinitions<RuleDef>(wb, 'rule').filter(([, d]) => d.sheetId === sheetId)
}

/** A computed column ready to run, or the error that keeps it from running (the sheet still opens). */
export type ComputedColumn =
  | { id: string; def: ComputedColumnDef; ok: true; compiled: CompiledExpr }
  | { id: string; def: ComputedColumnDef; ok: false; error: ExprError }

/** Compile a sheet's computed columns against the current columns (a renamed column breaks only its users). */
export function compileComputedColumns(wb: Workbook, scope: ExprScope): ComputedColumn[] {
  return computedColumnsOf(wb, scope.sheet.id).map(([id, def]) => {
    const c = compileSource(def.expr, scope)
    return c.ok
      ? { id, def, ok: true, compiled: c.compiled }
      : { id, def, ok: false, error: c.error }
  })
}

/** One computed value per row: a value, or the row's own error (division by zero…). */
export function computeColumn(
  compiled: CompiledExpr,
  rowIds: readonly string[],
): Map<string, { ok: true; value: CellValue } | { ok: false; error: ExprRowError }> {
  const out = new Map<string, { ok: true; value: CellValue } | { ok: false; error: ExprRowError }>()
  for (const id of rowIds) out.set(id, compiled.run(id))
  return out
}

/**
 * Check rules over rows. A rule whose result is false is a problem at its level; a blank (unknown)
 * result is not; a rule that fails to run on a row (text in arithmetic) is a warning naming why.
 */
export function checkRules(
  rules: readonly [id: string, def: RuleDef][],
  scope: ExprScope,
  rowIds: readonly string[],
): { problems: RuleProblem[]; broken: { id: string; error: ExprError }[] } {
  const problems: RuleProblem[] = []
  const broken: { id: string; error: ExprError }[] = []
  for (const [id, def] of rules) {
    const c = compileSource(def.expr, scope)
    if (!c.ok) {
      broken.push({ id, error: c.error })
      continue
    }
    const own = def.message?.trim()
    const message = own
      ? { zh: own, en: own }
      : { zh: `不满足规则：${def.expr}`, en: `Breaks the rule: ${def.expr}` }
    for (const rowId of rowIds) {
      const r = c.compiled.raw(rowId)
      if (!r.ok) {
        problems.push({
          rowId,
          ruleId: id,
          level: 'warning',
          message: {
            zh: `规则“${def.expr}”无法计算：${r.error.message.zh}`,
            en: `Rule "${def.expr}" cannot be computed: ${r.error.message.en}`,
          },
        })
      } else if (r.value === false) problems.push({ rowId, ruleId: id, level: def.level, message })
    }
  }
  return { problems, broken }
}
