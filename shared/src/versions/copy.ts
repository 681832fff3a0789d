import {
  type DefinitionKind,
  DefinitionKinds,
  readDefinitions,
  writeDefinition,
} from '../model/definitions.js'
import { MIGRATION } from '../model/origins.js'
import type { Workbook } from '../model/workbook.js'
import { asWorkbook, type WorkbookSource } from './compare.js'
import { rollbackTo } from './rollback.js'

/**
 * 复制为新工作簿: fills a new, empty workbook with a version's title, sheets, columns (same ids),
 * rows (new ids; reference cells re-pointed) and cells, and all its ledger definitions (summaries,
 * charts, rules, completeness, and the `complete` marks as they stood: they name sheets and
 * columns by id, which the copy keeps). Not copied: access rules, period locks and lock exceptions
 * (root `access`): the copy is a new workbook that its maker owns and shares afresh, and rules
 * and locks name the stations and people of the workbook they were set for. The copy starts its
 * own history. Not undoable (it is the new workbook's first content).
 *
 * @example
 * setPendingCreate(id, { title, fill: (wb) => copyVersionInto(versionDoc, wb, title) })
 */
export function copyVersionInto(versionSrc: WorkbookSource, fresh: Workbook, title: string): void {
  const version = asWorkbook(versionSrc)
  rollbackTo(version, fresh)
  fresh.transact(() => {
    for (const kind of Object.values(DefinitionKinds) as DefinitionKind[])
      for (const [id, value] of readDefinitions(version, kind))
        writeDefinition(fresh, kind, id, value, MIGRATION)
    fresh.setTitle(title)
  }, MIGRATION)
}
