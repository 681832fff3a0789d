import { readDefinition, rollbackTo, Workbook, writeDefinition } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { runRollbackUndoable } from './rollbackUndo'

function setup() {
  const wb = Workbook.create(new Y.Doc(), { title: '台账', author: { id: 'a', name: '张三' } })
  const s = wb.sheet(wb.addSheet('站点'))
  const col = s.addColumn({ name: '服务人次', type: 'integer' })
  const [row] = s.insertRows([{ [col]: 1 }]) as [string]
  writeDefinition(wb, 'summary', 's1', { title: '按站点' })
  const v = new Y.Doc()
  Y.applyUpdate(v, Y.encodeStateAsUpdate(wb.doc))
  return { wb, s, col, row, version: Workbook.open(v).workbook }
}

describe('a rollback is one undo step, report definitions included (issue 13 §3)', () => {
  it('undo puts back the data and the definitions of before the rollback; redo the version again', () => {
    const { wb, s, col, row, version } = setup()
    s.setCell(row, col, 2)
    writeDefinition(wb, 'summary', 's1', { title: '按区县' })
    writeDefinition(wb, 'chart', 'c1', { type: 'bar' })
    const undo = wb.createUndoManager()
    const r = runRollbackUndoable(undo, wb, () => rollbackTo(version, wb))
    expect(r.definitions).toHaveLength(2)
    expect(s.getCell(row, col)).toBe(1)
    expect(readDefinition(wb, 'summary', 's1')).toEqual({ title: '按站点' })
    expect(readDefinition(wb, 'chart', 'c1')).toBeUndefined()
    expect(undo.undoStack).toHaveLength(1)

    undo.undo()
    expect(s.getCell(row, col)).toBe(2)
    expect(readDefinition(wb, 'summary', 's1')).toEqual({ title: '按区县' })
    expect(readDefinition(wb, 'chart', 'c1')).toEqual({ type: 'bar' })
    undo.redo()
    expect(s.getCell(row, col)).toBe(1)
    expect(readDefinition(wb, 'summary', 's1')).toEqual({ title: '按站点' })
    expect(readDefinition(wb, 'chart', 'c1')).toBeUndefined()
    undo.undo()
    expect(readDefinition(wb, 'chart', 'c1')).toEqual({ type: 'bar' })
  })

  it('when only definitions differ the rollback is still one undo step', () => {
    const { wb, version } = setup()
    writeDefinition(wb, 'summary', 's1', { title: '按区县' })
    const undo = wb.createUndoManager()
    runRollbackUndoable(undo, wb, () => rollbackTo(version, wb))
    expect(readDefinition(wb, 'summary', 's1')).toEqual({ title: '按站点' })
    expect(undo.undoStack).toHaveLength(1)
    undo.undo()
    expect(readDefinition(wb, 'summary', 's1')).toEqual({ title: '按区县' })
    // A later edit's own undo step does not carry the definitions.
    wb.sheet(wb.listSheets()[0]!.id).addColumn({ name: '备注', type: 'text' })
    undo.undo()
    expect(readDefinition(wb, 'summary', 's1')).toEqual({ title: '按区县' })
  })
})
