import type { Problem, Workbook } from '@taizhang/shared'
import { type Accessor, createEffect, createSignal, on, onCleanup } from 'solid-js'
import { SheetProblems } from '../sheetProblems'

/**
 * Problems of the sheet on screen, kept incrementally (an edit revalidates the rows it touched;
 * a full pass runs in slices), so typing stays smooth on a 100,000-row sheet.
 */
export function createProblemsStore(
  wb: Workbook,
  activeSheet: Accessor<string | null>,
): Accessor<Problem[]> {
  const [problems, setProblems] = createSignal<Problem[]>([])
  let sheetProblems: SheetProblems | null = null
  createEffect(
    on(activeSheet, (id) => {
      sheetProblems?.dispose()
      sheetProblems = null
      setProblems([])
      if (!id || !wb.hasSheet(id)) return
      sheetProblems = new SheetProblems(
        wb.sheet(id),
        (sid, rid) => wb.hasSheet(sid) && wb.sheet(sid).hasRow(rid),
        setProblems,
      )
    }),
  )
  const offProblems = wb.onChange((c) => {
    const id = activeSheet()
    for (const [sid, sc] of c.sheets) {
      if (sid === id) sheetProblems?.apply(sc)
      else if (sc.added.size || sc.removed.size) sheetProblems?.otherSheetRowsChanged()
    }
  })
  onCleanup(() => {
    offProblems()
    sheetProblems?.dispose()
  })
  return problems
}
