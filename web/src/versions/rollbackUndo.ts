import { type DefinitionDiff, putDefinition, RESTORE_EDIT, type Workbook } from '@taizhang/shared'
import type * as Y from 'yjs'

/** Where a rollback's definition writes ride on its undo step (`StackItem.meta`). */
const DEFS_META = 'tz:rollbackDefinitions'

const installed = new WeakSet<Y.UndoManager>()

type StackEvent = { stackItem: { meta: Map<unknown, unknown> }; origin: unknown; type: string }

/**
 * Makes a rollback's report definitions part of its one undo step (issue 13 §3). The workbook's
 * undo manager covers sheets and meta only (definitions are not undone by Ctrl+Z elsewhere), so
 * the definitions the rollback wrote are kept on its stack item: undoing it writes back the values
 * of before the rollback, redoing it the version's again. Hand-written: Yjs's UndoManager has no
 * hook for changes outside its scope other than the stack item's `meta` map and its events.
 *
 * @example
 * const r = runRollbackUndoable(session.undo, wb, () => rollbackTo(version, wb, { allow }))
 */
export function runRollbackUndoable<T extends { definitions: DefinitionDiff[] }>(
  undo: Y.UndoManager,
  wb: Workbook,
  run: () => T,
): T {
  install(undo, wb)
  let added: StackEvent['stackItem'] | null = null
  const onAdded = (e: StackEvent) => {
    if (e.type === 'undo') added = e.stackItem
  }
  undo.on('stack-item-added', onAdded)
  let r: T
  try {
    r = run()
  } finally {
    undo.off('stack-item-added', onAdded)
  }
  const item = added as StackEvent['stackItem'] | null
  if (item && r.definitions.length > 0) item.meta.set(DEFS_META, r.definitions)
  return r
}

/** Once per undo manager: write the definitions back when a rollback's step is undone or redone. */
function install(undo: Y.UndoManager, wb: Workbook): void {
  if (installed.has(undo)) return
  installed.add(undo)
  // The step an undo (redo) creates on the other stack, so the definitions move with it.
  let created: StackEvent['stackItem'] | null = null
  undo.on('stack-item-added', (e: StackEvent) => {
    if (e.origin === undo) created = e.stackItem
  })
  undo.on('stack-item-popped', (e: StackEvent) => {
    const defs = e.stackItem.meta.get(DEFS_META) as DefinitionDiff[] | undefined
    const next = created
    created = null
    if (!defs) return
    const undoing = e.type === 'undo'
    wb.transact(() => {
      for (const d of defs) putDefinition(wb, d.kind, d.id, undoing ? d.after : d.before)
    }, RESTORE_EDIT)
    next?.meta.set(DEFS_META, defs)
  })
}
