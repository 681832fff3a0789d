import { type XlsxSheetPart, XlsxSliceBuilder } from '@taizhang/shared/xlsx'
import { describe, expect, it } from 'vitest'
import type { ToExportWorker } from './exportProtocol'
import { postSheetSlices } from './exportSlices'

/**
 * The export's main-thread slicing on a clock the test drives: reading a row "costs" a set time,
 * so the slice sizes the budget leads to are exact. Real sheet parts would time the machine, not
 * the rule.
 */
function part(name: string, width: number, rowCount: number, clock: { t: number }): XlsxSheetPart {
  return {
    name,
    header: Array.from({ length: width }, (_, i) => `列${i + 1}`),
    widths: Array.from({ length: width }, () => 100),
    rowCount,
    slice(from, to) {
      const end = Math.min(to, rowCount)
      const b = new XlsxSliceBuilder(end - from, width)
      for (let r = from; r < end; r++) b.number(r - from, 0, r)
      // 2 µs a cell, read and posted.
      clock.t += (end - from) * width * 0.002
      return b.done()
    },
  }
}

describe('XLSX5 export slices on the main thread', () => {
  it('XLSX5 posts every row once, in order, sheet by sheet; each slice near the time budget', async () => {
    const clock = { t: 0 }
    const posted: ToExportWorker[] = []
    const transferred: number[] = []
    const sliceMs: number[] = []
    let last = 0
    await postSheetSlices(
      [part('一', 12, 30_000, clock), part('二', 200, 20_000, clock)],
      (m, transfer) => {
        posted.push(m)
        if (m.type === 'rows') {
          // Every buffer of the slice goes with it (transferred, not copied).
          expect(transfer).toEqual([
            m.slice.kind.buffer,
            m.slice.value.buffer,
            m.slice.format.buffer,
          ])
          transferred.push(transfer!.length)
        }
      },
      {
        budgetMs: 25,
        now: () => clock.t,
        nextTask: async () => {
          sliceMs.push(clock.t - last)
          last = clock.t
        },
      },
    )
    const sheets = posted.filter((m) => m.type === 'sheet').map((m) => m.head)
    expect(sheets.map((h) => [h.name, h.rowCount])).toEqual([
      ['一', 30_000],
      ['二', 20_000],
    ])
    expect(transferred.length).toBe(posted.filter((m) => m.type === 'rows').length)
    const values = (from: number, to: number) =>
      posted.slice(from, to).flatMap((m) => {
        if (m.type !== 'rows') return []
        const { rowCount, width, value } = m.slice
        return Array.from({ length: rowCount }, (_, r) => value[r * width]!)
      })
    const second = posted.findIndex((m) => m.type === 'sheet' && m.head.name === '二')
    expect(values(0, second)).toEqual(Array.from({ length: 30_000 }, (_, i) => i))
    expect(values(second, posted.length)).toEqual(Array.from({ length: 20_000 }, (_, i) => i))
    // The first slice is sized by a guess; every later one, a much wider sheet's included, by the
    // measured cost per cell: within the budget.
    expect(Math.max(...sliceMs.slice(1))).toBeLessThanOrEqual(25.01)
    expect(sliceMs.length).toBeGreaterThan(10)
  })
})
