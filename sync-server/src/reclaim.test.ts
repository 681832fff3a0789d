import { afterEach, describe, expect, it, vi } from 'vitest'
import { FOLLOW_UP_MS, Reclaimer } from './reclaim.js'

const make = (gc: (() => void) | undefined, minBytes: number, quietMs: number, live = () => 0) =>
  new Reclaimer(gc, { minBytes, quietMs, liveBytes: live, maxLiveBytes: 1_000 })

describe('Reclaimer', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs a GC (and its follow-up) a quiet spell after enough bytes were let go, pushed back by each release', () => {
    vi.useFakeTimers()
    const gc = vi.fn()
    const r = make(gc, 1000, 100)
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
    vi.advanceTimersByTime(FOLLOW_UP_MS)
    expect(gc).toHaveBeenCalledTimes(2) // the follow-up
    // The count starts over after a GC.
    r.note(999)
    vi.advanceTimersByTime(1000)
    expect(gc).toHaveBeenCalledTimes(2)
  })

  it('skips the GC while the live docs are large, and runs it at a later release once they are not', () => {
    vi.useFakeTimers()
    const gc = vi.fn()
    let live = 5_000
    const r = make(gc, 100, 10, () => live)
    r.note(200)
    vi.advanceTimersByTime(50)
    expect(gc).not.toHaveBeenCalled()
    expect(r.skipped).toBe(1)
    live = 0 // the big doc was dropped: that drop is a release of its own
    r.note(1)
    vi.advanceTimersByTime(50)
    expect(gc).toHaveBeenCalledTimes(1)
    expect(r.runs).toBe(1)
  })

  it('does nothing without a gc function, and nothing after stop', () => {
    vi.useFakeTimers()
    const none = make(undefined, 1, 10)
    none.note(10_000)
    vi.advanceTimersByTime(100)
    expect(none.runs).toBe(0)
    const gc = vi.fn()
    const r = make(gc, 1, 10)
    r.note(5)
    r.stop()
    vi.advanceTimersByTime(100)
    expect(gc).not.toHaveBeenCalled()
  })
})
