import { For, onCleanup, onMount } from 'solid-js'

export interface MenuItem {
  label: string
  shortcut?: string
  danger?: boolean
  disabled?: boolean
  action: () => void
}

/** A small context menu (AG Grid Community has none): keyboard navigable, closes on outside click/Escape. */
export function ContextMenu(props: {
  x: number
  y: number
  items: MenuItem[]
  onClose: () => void
}) {
  let el!: HTMLDivElement
  const onDown = (e: MouseEvent) => {
    if (!el.contains(e.target as Node)) props.onClose()
  }
  onMount(() => {
    document.addEventListener('mousedown', onDown, true)
    const r = el.getBoundingClientRect()
    // Keep the menu on screen.
    if (r.right > window.innerWidth)
      el.style.left = `${Math.max(0, window.innerWidth - r.width - 4)}px`
    if (r.bottom > window.innerHeight)
      el.style.top = `${Math.max(0, window.innerHeight - r.height - 4)}px`
    el.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus()
  })
  onCleanup(() => document.removeEventListener('mousedown', onDown, true))
  const onKey = (e: KeyboardEvent) => {
    const buttons = [...el.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')]
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement)
    if (e.key === 'Escape') {
      e.preventDefault()
      props.onClose()
    } else if (e.key === 'ArrowDown') {
      e.preventDefault()
      buttons[(i + 1) % buttons.length]?.focus()
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      buttons[(i - 1 + buttons.length) % buttons.length]?.focus()
    }
  }
  return (
    <div
      class="context-menu"
      role="menu"
      ref={el}
      style={{ left: `${props.x}px`, top: `${props.y}px` }}
      onKeyDown={onKey}
      data-testid="context-menu"
    >
      <For each={props.items}>
        {(item) => (
          <button
            type="button"
            role="menuitem"
            class={item.danger ? 'danger' : ''}
            disabled={item.disabled}
            onClick={() => {
              props.onClose()
              item.action()
            }}
          >
            <span>{item.label}</span>
            <span class="shortcut">{item.shortcut ?? ''}</span>
          </button>
        )}
      </For>
    </div>
  )
}
