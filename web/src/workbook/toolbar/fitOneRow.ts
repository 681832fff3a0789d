/**
 * Keeps the workbook toolbar on ONE row at any width (issue 12, "grid2"): the buttons that do
 * not fit are marked `data-overflow` (hidden by styles.css) from the last one backwards (those
 * marked `data-keep` last of all), and the
 * 更多 menu (`ToolbarOverflow`, which offers every hidden button) is shown while any is hidden.
 * 分享 (`data-command="share"`) and 更多 itself always stay. Buttons coming and going, labels
 * changing and the window resizing all refit. Hand-written: no library fits a flex row of real
 * buttons whose commands must keep one implementation.
 */
const CANDIDATES = ':scope > button:not([data-command="share"]):not(.toolbar-more)'

/** Hides trailing buttons until `bar` has no horizontal overflow. Bounded by the button count. */
export function fitOneRow(bar: HTMLElement): void {
  const buttons = [...bar.querySelectorAll<HTMLButtonElement>(CANDIDATES)]
  for (const b of buttons) b.removeAttribute('data-overflow')
  bar.removeAttribute('data-overflowing')
  if (bar.scrollWidth <= bar.clientWidth) return
  // Something must go: the 更多 button takes its place first, then buttons leave from the end.
  bar.setAttribute('data-overflowing', '1')
  // Buttons marked `data-keep` (the everyday ones: 导入/导出, 报表) leave only after all others.
  const order = [
    ...buttons.filter((b) => !b.hasAttribute('data-keep')).reverse(),
    ...buttons.filter((b) => b.hasAttribute('data-keep')).reverse(),
  ]
  for (const b of order) {
    if (bar.scrollWidth <= bar.clientWidth) break
    b.setAttribute('data-overflow', '1')
  }
}

/** Fits now and whenever the bar's width or its buttons change; returns the disposer. */
export function keepOneRow(bar: HTMLElement): () => void {
  let fitting = false
  const fit = () => {
    if (fitting) return
    fitting = true
    try {
      fitOneRow(bar)
    } finally {
      fitting = false
    }
  }
  let lastWidth = -1
  const resize = new ResizeObserver(() => {
    if (bar.clientWidth === lastWidth) return
    lastWidth = bar.clientWidth
    fit()
  })
  resize.observe(bar)
  // Labels and buttons changing (enabled state, counts, extensions mounting); attributes are
  // not watched, so the marks fitOneRow sets do not retrigger it.
  const mutations = new MutationObserver(fit)
  mutations.observe(bar, { childList: true, subtree: true, characterData: true })
  fit()
  return () => {
    resize.disconnect()
    mutations.disconnect()
  }
}
