import { afterEach, describe, expect, it, vi } from 'vitest'
import { Reclaimer } from './reclaim.js'

describe('Reclaimer', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs one GC a quiet spell after enough bytes were let go, pushed back by each release', () => {
    vi.useFakeTimers()
    const gc = vi.fn()
    const r = new Reclaimer(gc, 1000, 100)
    r.note(400)
    vi.advanceTimersByTime(500)
    expect(gc).not.toHaveBeenCalled() // under the threshold: nothing scheduled
    r.note(700) // 1,100 bytes in all
    vi.advanceTimersByTime(60)
    r.note(10) // pushes the GC back
    vi.advanceTimersByTime(60)
    expect(gc).not.toHaveBeenCalled()
    vi.advanceTimersByTime(40)
    expect(gc).toHaveBeenCalledTimes(1)
    expect(r.runs).toBe(1)
    // The count starts over after a GC.
    r.note(999)
    vi.advanceTimersByTime(1000)
    expect(gc).toHaveBeenCalledTimes(1)
  })

  it('does nothing without a gc function, and nothing after stop', () => {
    vi.useFakeTimers()
    const none = new Reclaimer(undefined, 1, 10)
    none.note(10_000)
    vi.advanceTimersByTime(100)
    expect(none.runs).toBe(0)
    const gc = vi.fn()
    const r = new Reclaimer(gc, 1, 10)
    r.note(5)
    r.stop()
    vi.advanceTimersByTime(100)
    expect(gc).not.toHaveBeenCalled()
  })
})
