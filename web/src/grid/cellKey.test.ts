import { describe, expect, it } from 'vitest'
import { cellKey, parseCellKey, parseSheetCellKey, sheetCellKey } from './cellKey'

describe('cell keys', () => {
  it('round-trip a cell of the sheet on screen', () => {
    expect(parseCellKey(cellKey('r_1', 'c:2'))).toEqual({ rowId: 'r_1', colId: 'c:2' })
    expect(cellKey('a', 'b')).not.toBe(cellKey('a:b', ''))
  })
  it('round-trip a cell of any sheet and refuse foreign keys', () => {
    expect(parseSheetCellKey(sheetCellKey('s', 'r', 'c'))).toEqual({
      sheetId: 's',
      rowId: 'r',
      colId: 'c',
    })
    expect(parseSheetCellKey('s:r:c')).toBeNull()
    expect(parseCellKey('r:c')).toBeNull()
  })
})
