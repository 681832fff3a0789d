import type { Problem, Workbook } from '@taizhang/shared'
import { type Accessor, createMemo, createSignal, onCleanup } from 'solid-js'
import { makeRuleProblems, mergeProblems } from '../../reports/ruleProblems'
import { countProblems, type ProblemsBySheet, WorkbookProblems } from '../workbookProblems'

const NONE: readonly Problem[] = []

export interface AllProblems {
  /** Every live sheet's problems, by sheet id. */
  bySheet: Accessor<ProblemsBySheet>
  /** The count shown on the 问题 button: all sheets. */
  total: Accessor<number>
  /** One sheet's problems (the grid outlines those of the sheet on screen). */
  forSheet(sheetId: string | null): readonly Problem[]
}

/** The workbook's problems, all sheets, for as long as the calling owner lives. */
export function createAllProblems(wb: Workbook): AllProblems {
  const [constraints, setBySheet] = createSignal<ProblemsBySheet>(new Map())
  const validator = new WorkbookProblems(wb, setBySheet)
  const off = wb.onChange((c) => validator.apply(c))
  // issue 14 (ledger): rows breaking the sheets' cross-field rules are problems too.
  const [rules, setRules] = createSignal<ProblemsBySheet>(new Map())
  const offRules = makeRuleProblems(wb, setRules)
  const bySheet = createMemo(() => mergeProblems(constraints(), rules()))
  onCleanup(() => {
    off()
    offRules()
    validator.dispose()
  })
  const total = createMemo(() => countProblems(bySheet()))
  return {
    bySheet,
    total,
    forSheet: (id) => (id ? (bySheet().get(id) ?? NONE) : NONE),
  }
}
