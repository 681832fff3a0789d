import { type Problem, validateSheet, Workbook } from '@taizhang/shared'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  SheetProblems,
  VALIDATE_DEBOUNCE_MS,
  VALIDATE_FIRST_PASS_DELAY_MS,
  VALIDATE_SLICE_ROWS,
} from './sheetProblems'

describe('SheetProblems', () => {
  it('matches a full validateSheet after edits, inserts, deletes and unique clashes', () => {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const sheet = wb.sheet(wb.addSheet('s'))
    const name = sheet.addColumn({ name: '名称', type: 'text', constraints: { unique: true } })
    const n = sheet.addColumn({ name: '数量', type: 'integer', constraints: { min: 0 } })
    const ids = sheet.insertRows(
      Array.from({ length: VALIDATE_SLICE_ROWS + 10 }, (_, i) => ({
        [name]: `站${i}`,
        [n]: i % 997 === 0 ? -1 : i,
      })),
    )
    const refExists = () => true
    const tasks: (() => void)[] = []
    let latest: Problem[] = []
    const sp = new SheetProblems(
      sheet,
      refExists,
      (p) => (latest = p),
      (fn) => {
        tasks.push(fn)
        return setTimeout(() => {}, 0)
      },
    )
    const off = wb.onChange((c) => {
      const sc = c.sheets.get(sheet.id)
      if (sc) sp.apply(sc)
    })
    const drain = () => {
      while (tasks.length) tasks.shift()!()
    }
    const expected = () =>
      validateSheet({
        columns: sheet.columns(),
        rows: sheet.readRows(),
        referenceExists: refExists,
      })
    const key = (ps: Problem[]) =>
      ps.map((p) => `${p.rowId}|${p.colId}|${p.rule}|${p.message.en}`).sort()
    expect(tasks.length).toBe(1)
    drain()
    expect(key(latest)).toEqual(key(expected()))
    sheet.setCell(ids[3]!, n, -5)
    sheet.setCell(ids[4]!, name, '站7')
    sheet.deleteRows([ids[1]!])
    sheet.insertRows([{ [name]: '站9', [n]: 'abc' }], { before: ids[0]! })
    drain()
    expect(key(latest)).toEqual(key(expected()))
    sheet.setCell(ids[4]!, name, '站4')
    sheet.setCell(ids[3]!, n, 3)
    drain()
    expect(key(latest)).toEqual(key(expected()))
    // A big append (an import) is validated in slices, one scheduled task each, and published
    // once: no problem list reflects half of it.
    const big = 2 * VALIDATE_SLICE_ROWS + 7
    const added = sheet.insertRows(
      Array.from({ length: big }, (_, i) => ({ [name]: `新站${i}`, [n]: i % 1013 === 0 ? -2 : i })),
    )
    let runs = 0
    let updates = 0
    const seen: Problem[][] = []
    while (tasks.length) {
      runs++
      const before = latest
      tasks.shift()!()
      if (latest !== before) {
        updates++
        seen.push(latest)
      }
    }
    expect(runs).toBeGreaterThanOrEqual(3)
    expect(updates).toBe(1)
    expect(key(seen[0]!)).toEqual(key(expected()))
    expect(seen[0]!.some((p) => p.rowId === added[0] && p.colId === n)).toBe(true)
    off()
    sp.dispose()
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  /** A sheet whose rows share names in groups of 3 (unique clashes) and miss a required cell. */
  function clashing(rows: number) {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const sheet = wb.sheet(wb.addSheet('s'))
    const name = sheet.addColumn({ name: '名称', type: 'text', constraints: { unique: true } })
    const street = sheet.addColumn({ name: '街道', type: 'text', constraints: { required: true } })
    const ids = sheet.insertRows(
      Array.from({ length: rows }, (_, i) => ({
        [name]: `站${Math.floor(i / 3)}`,
        ...(i % 2 ? { [street]: '殷行' } : {}),
      })),
    )
    vi.useFakeTimers()
    let tasks = 0
    const published: Problem[][] = []
    const sp = new SheetProblems(
      sheet,
      () => true,
      (p) => published.push(p),
      (fn, ms) =>
        setTimeout(() => {
          tasks++
          fn()
        }, ms),
    )
    const off = wb.onChange((c) => {
      const sc = c.sheets.get(sheet.id)
      if (sc) sp.apply(sc)
    })
    const expected = () =>
      validateSheet({
        columns: sheet.columns(),
        rows: sheet.readRows(),
        referenceExists: () => true,
      })
    const show = (ps: Problem[]) => ps.map((p) => `${p.rowId}|${p.colId}|${p.rule}|${p.message.en}`)
    return {
      sheet,
      name,
      street,
      ids,
      published,
      tasks: () => tasks,
      expected,
      show,
      dispose: () => {
        off()
        sp.dispose()
      },
    }
  }

  it('checks unique columns in slices too and publishes exactly validateSheet, in its order', () => {
    const t = clashing(3 * VALIDATE_SLICE_ROWS + 4)
    vi.runAllTimers()
    expect(t.published).toHaveLength(1)
    // The full pass took a task per slice; the unique check's problems were built in their own.
    expect(t.tasks()).toBeGreaterThanOrEqual(5)
    expect(t.show(t.published[0]!)).toEqual(t.show(t.expected()))
    expect(t.published[0]!.filter((p) => p.rule === 'unique')).toHaveLength(
      3 * VALIDATE_SLICE_ROWS + 3,
    )
    t.dispose()
  })

  it('an edit during a pass does not cut the pass short; it is taken up after it', () => {
    const t = clashing(3 * VALIDATE_SLICE_ROWS)
    vi.advanceTimersByTime(VALIDATE_FIRST_PASS_DELAY_MS)
    // The first slice of the full pass ran; edit a row it has not reached yet, then one it has.
    t.sheet.setCell(t.ids[t.ids.length - 1]!, t.name, '站0')
    t.sheet.setCell(t.ids[0]!, t.street, null)
    vi.advanceTimersByTime(VALIDATE_DEBOUNCE_MS)
    vi.runAllTimers()
    expect(t.show(t.published.at(-1)!)).toEqual(t.show(t.expected()))
    t.dispose()
  })

  it('a column change during a full pass starts it again', () => {
    const t = clashing(2 * VALIDATE_SLICE_ROWS)
    vi.advanceTimersByTime(VALIDATE_FIRST_PASS_DELAY_MS)
    t.sheet.updateColumn(t.street, { constraints: {} })
    vi.runAllTimers()
    const last = t.published.at(-1)!
    expect(last.some((p) => p.rule === 'required')).toBe(false)
    expect(t.show(last)).toEqual(t.show(t.expected()))
    t.dispose()
  })
})
