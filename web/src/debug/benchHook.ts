/**
 * A measurement hook on `window.__tzBench`, compiled in only when the app is built with
 * `VITE_TZ_DEBUG=1` (bench/web builds into its own directory; web/dist never has it).
 * It gives the benchmark the very module instances the app uses (yjs, the session, the grid).
 */
import * as Y from 'yjs'
import { openDocDatabase, requestToPromise, UPDATES_STORE } from '../doc/idb'
import type { WorkbookSession } from '../doc/openWorkbook'
import type { SheetGridHandle } from '../grid/makeSheetGrid'

export interface BenchHook {
  session: WorkbookSession | null
  grid: SheetGridHandle | null
  /** The floor of an open: read every stored record of the workbook and apply it to a new doc. */
  floor(
    workbookId: string,
  ): Promise<{ readMs: number; applyMs: number; bytes: number; records: number }>
  /** Local edits through the same model call as a grid edit (sheet.setCell, local origin). */
  edit(rowIndex: number, colIndex: number, value: string | number): void
  /** Records in the workbook's IndexedDB store (compaction progress). */
  records(workbookId: string): Promise<number>
}

export function installBenchHook(): BenchHook {
  const hook: BenchHook = {
    session: null,
    grid: null,
    async floor(workbookId) {
      const t0 = performance.now()
      const db = await openDocDatabase(workbookId)
      const tx = db.transaction(UPDATES_STORE, 'readonly')
      const values = (await requestToPromise(tx.objectStore(UPDATES_STORE).getAll())) as unknown[]
      const t1 = performance.now()
      const doc = new Y.Doc()
      let bytes = 0
      doc.transact(() => {
        for (const v of values) {
          if (!(v instanceof Uint8Array)) continue
          bytes += v.byteLength
          Y.applyUpdate(doc, v)
        }
      })
      const t2 = performance.now()
      db.close()
      doc.destroy()
      return { readMs: t1 - t0, applyMs: t2 - t1, bytes, records: values.length }
    },
    edit(rowIndex, colIndex, value) {
      const s = hook.session
      const g = hook.grid
      if (!s || !g) throw new Error('no open workbook')
      const node = g.api.getDisplayedRowAtIndex(rowIndex)
      const sheetId = (g.api.getGridOption('context') as { sheetId: string }).sheetId
      const sheet = s.workbook.sheet(sheetId)
      const col = sheet.columns()[colIndex]
      if (!node?.data || !col) throw new Error('no such cell')
      sheet.setCell(node.data.id, col.id, value)
    },
    async records(workbookId) {
      const db = await openDocDatabase(workbookId)
      const n = await requestToPromise(
        db.transaction(UPDATES_STORE, 'readonly').objectStore(UPDATES_STORE).count(),
      )
      db.close()
      return n
    },
  }
  ;(window as unknown as { __tzBench: BenchHook }).__tzBench = hook
  return hook
}
