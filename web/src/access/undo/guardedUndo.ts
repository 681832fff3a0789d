/**
 * Undo and redo through the access rules (issue 16 §3): the step is checked with the same checker
 * the server runs (the workbook's access gate) before it is applied, and is applied whole or not
 * at all. A refused step is reported on the gate (the view shows "无法撤销：…") and never reaches the
 * server, so no refusal round-trip and no recovery follow.
 *
 * A refused step stays on its stack (Yjs's `undo()` is not called, so nothing is popped). Why keep
 * it rather than drop it: the usual cause is a period lock, which the bureau lifts again, and then
 * the same Ctrl+Z works; a dropped step could never be undone, while a kept one costs only that
 * the older steps wait behind it, as in any linear undo (skipping it to undo older ones would
 * replay history out of order over the same cells). New edits push on top of it as usual.
 */
import type { Change, Workbook } from '@taizhang/shared'
import type * as Y from 'yjs'
import { type AccessGate, accessGateOf, type Refusal } from '../ui/accessGate'
import { type UndoDirection, undoStepChanges } from './undoChanges'

export type UndoCheck =
  | { ok: true; changes: Change[] }
  /** `count`: how many of the step's changes the rules refuse; `decision`: the first of them. */
  | { ok: false; count: number; decision: Refusal }

/** Whether the next undo (redo) step may be applied by `gate`'s identity; reads only. */
export function checkUndoStep(
  wb: Workbook,
  um: Y.UndoManager,
  gate: AccessGate,
  direction: UndoDirection,
): UndoCheck {
  const changes = undoStepChanges(wb, um, direction) ?? []
  let count = 0
  let first: Refusal | undefined
  for (const c of changes) {
    const d = gate.check(c)
    if (d.ok) continue
    count++
    first ??= { ...d, action: direction }
  }
  return first ? { ok: false, count, decision: first } : { ok: true, changes }
}

/**
 * Runs undo (redo) on the session's undo manager if the workbook's access gate allows the whole
 * step; otherwise applies nothing, reports the refusal on the gate and returns false. Without a
 * gate (a workbook opened without a view) it is a plain undo.
 */
export function runUndo(wb: Workbook, um: Y.UndoManager, direction: UndoDirection): boolean {
  const gate = accessGateOf(wb)
  if (gate) {
    const check = checkUndoStep(wb, um, gate, direction)
    if (!check.ok) {
      gate.reportRefused(check.count, check.decision)
      return false
    }
  }
  const done = direction === 'undo' ? um.undo() : um.redo()
  return done !== null
}
