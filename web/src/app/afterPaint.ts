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
