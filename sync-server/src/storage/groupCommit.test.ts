import { describe, expect, it } from 'vitest'
import { GroupCommit } from './groupCommit.js'

/** A write function whose calls the test completes (or fails) by hand. */
function manualWrites() {
  const calls: Array<{ ops: number[]; done: () => void; fail: (e: Error) => void }> = []
  const write = (ops: number[]) =>
    new Promise<void>((done, fail) => {
      calls.push({ ops, done, fail })
    })
  return { calls, write }
}
const tick = () => new Promise((r) => setImmediate(r))

describe('GroupCommit', () => {
  it('writes a lone add at once, and coalesces adds made during a write into one next write', async () => {
    const { calls, write } = manualWrites()
    const gc = new GroupCommit(write)
    const settled: number[] = []
    const first = gc.add([1]).then(() => settled.push(1))
    expect(calls.map((c) => c.ops)).toEqual([[1]]) // started synchronously
    const rest = [2, 3, 4, 5].map((n) => gc.add([n, n * 10]).then(() => settled.push(n)))
    await tick()
    expect(calls).toHaveLength(1) // waiting for the write in flight
    calls[0]!.done()
    await tick()
    expect(settled).toEqual([1])
    expect(calls.map((c) => c.ops)).toEqual([[1], [2, 20, 3, 30, 4, 40, 5, 50]]) // call order
    calls[1]!.done()
    await Promise.all([first, ...rest])
    expect(settled).toEqual([1, 2, 3, 4, 5])
  })

  it('rejects every caller of a failing group, and the next group is written', async () => {
    const { calls, write } = manualWrites()
    const gc = new GroupCommit(write)
    const first = gc.add([1])
    const group = [gc.add([2]), gc.add([3])]
    calls[0]!.done()
    await first
    await tick()
    const later = gc.add([4]) // joins the group after the failing one
    calls[1]!.fail(new Error('disk full'))
    for (const p of group) await expect(p).rejects.toThrow('disk full')
    await tick()
    expect(calls.map((c) => c.ops)).toEqual([[1], [2, 3], [4]])
    calls[2]!.done()
    await expect(later).resolves.toBeUndefined()
  })
})
