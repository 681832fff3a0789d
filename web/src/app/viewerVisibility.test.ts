import { describe, expect, it } from 'vitest'
import type { Command, CommandContext } from './toolbarExtensions'
import { offeredTo } from './viewerVisibility'

const ctx = (readOnly: boolean, canUndo = false) =>
  ({
    readOnly,
    grid: null,
    sheetId: 's1',
    view: { canUndo: () => canUndo },
  }) as unknown as CommandContext

const cmd = (enabled: Command['enabled']): Command => ({
  id: 'x',
  label: 'wb.share',
  enabled,
  run: () => {},
})

describe('offeredTo', () => {
  const share = cmd((c) => !c.readOnly)
  const undo = cmd((c) => !c.readOnly && c.view.canUndo())
  const problems = cmd(() => true)
  const copy = cmd((c) => c.grid !== null)

  it('hides from a viewer what read-only-ness disables, even when it is disabled anyway', () => {
    expect(offeredTo(share, ctx(true))).toBe(false)
    expect(offeredTo(undo, ctx(true, false))).toBe(false)
    expect(offeredTo(undo, ctx(true, true))).toBe(false)
  })

  it('keeps what a viewer can use, greyed or not', () => {
    expect(offeredTo(problems, ctx(true))).toBe(true)
    expect(offeredTo(copy, ctx(true))).toBe(true)
  })

  it('offers everything to an editor', () => {
    for (const c of [share, undo, problems, copy]) expect(offeredTo(c, ctx(false))).toBe(true)
  })
})
