/**
 * Runs `fn` in a task after the next frame is painted: for work the first paint of a view does
 * not need (registry writes), so it does not delay that paint. A hidden tab paints no frames:
 * there it runs after a second anyway.
 */
export function afterFirstPaint(fn: () => void): void {
  let done = false
  const run = () => {
    if (done) return
    done = true
    fn()
  }
  setTimeout(run, 1000)
  if (typeof requestAnimationFrame !== 'undefined') requestAnimationFrame(() => setTimeout(run, 0))
}

let gridPainted = false
const gridWaiters: (() => void)[] = []

/** Called once a sheet's first rows are painted (SheetGrid). */
export function markGridPainted(): void {
  if (gridPainted) return
  gridPainted = true
  for (const fn of gridWaiters.splice(0)) fn()
}

/**
 * Runs `fn` once a grid's first rows are painted, or after `maxWaitMs` if none is (an empty or
 * failed open): for boot work that would compete with opening a workbook (service worker
 * registration and its update check).
 */
export function afterGridPainted(fn: () => void, maxWaitMs = 3000): void {
  let done = false
  const run = () => {
    if (done) return
    done = true
    fn()
  }
  if (gridPainted) {
    run()
    return
  }
  gridWaiters.push(run)
  setTimeout(run, maxWaitMs)
}
