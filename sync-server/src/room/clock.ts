/** A cancellable timer. */
export interface Timer {
  cancel(): void
}

/**
 * Time as the room sees it: the wall clock and timers. Injected so a room can be tested without
 * waiting (`test/roomHarness.ts` drives a manual clock).
 */
export interface Clock {
  /** Milliseconds (Unix epoch for the system clock). */
  now(): number
  /**
   * Runs `fn` once after `ms`. `unref`: the timer alone does not keep the process alive (idle
   * unloads, doc drops); without it a pending write's timer does.
   */
  after(ms: number, fn: () => void, opts?: { unref?: boolean }): Timer
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn, opts) {
    const t = setTimeout(fn, ms)
    if (opts?.unref) t.unref()
    return { cancel: () => clearTimeout(t) }
  },
}

/** Resolves after `ms` on `clock`. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve))
}
