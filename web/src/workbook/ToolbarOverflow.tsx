import { createSignal, Show } from 'solid-js'
import { t } from '../i18n'
import { ContextMenu, type MenuItem } from './ContextMenu'

/**
 * The toolbar's "更多" (More) button, shown on narrow screens only (styles.css, "app" block):
 * there the toolbar keeps one row and hides its other buttons; this menu offers exactly the
 * hidden ones, read from the toolbar when opened, and clicks the real button. So commands and
 * extensions (CSV…) keep one implementation, and nothing is mounted twice.
 */
export function ToolbarOverflow() {
  let button!: HTMLButtonElement
  const [menu, setMenu] = createSignal<{ x: number; y: number; items: MenuItem[] } | null>(null)
  const hiddenButtons = (): HTMLButtonElement[] => {
    const bar = button.parentElement
    if (!bar) return []
    return [...bar.querySelectorAll<HTMLButtonElement>(':scope > button')].filter(
      (b) => b !== button && getComputedStyle(b).display === 'none',
    )
  }
  const open = () => {
    const r = button.getBoundingClientRect()
    const items = hiddenButtons().map(
      (b): MenuItem => ({
        label: b.textContent?.trim() ?? '',
        disabled: b.disabled,
        action: () => b.click(),
      }),
    )
    setMenu({ x: r.left, y: r.bottom + 2, items })
  }
  return (
    <>
      <button
        ref={button}
        type="button"
        class="btn toolbar-more"
        data-testid="toolbar-more"
        aria-haspopup="menu"
        aria-expanded={menu() !== null}
        onClick={() => (menu() ? setMenu(null) : open())}
      >
        {t('toolbar.more')}
      </button>
      <Show when={menu()}>
        {(m) => <ContextMenu x={m().x} y={m().y} items={m().items} onClose={() => setMenu(null)} />}
      </Show>
    </>
  )
}
