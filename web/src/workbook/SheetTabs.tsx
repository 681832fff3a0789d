import type { SheetInfo, Workbook } from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { addBlankSheet } from '../home/blankSheet'
import { t } from '../i18n'
import { ContextMenu } from './ContextMenu'

/** Sheet tabs: select, add, rename (double-click), reorder, delete with confirmation. */
export function SheetTabs(props: {
  workbook: Workbook
  sheets: SheetInfo[]
  active: string | null
  readOnly: boolean
  onSelect: (id: string) => void
}) {
  const [editing, setEditing] = createSignal<string | null>(null)
  const [menu, setMenu] = createSignal<{ id: string; x: number; y: number } | null>(null)

  const add = () => {
    // A new sheet comes with typed columns (issue 12, "app"): home/blankSheet.ts
    const id = addBlankSheet(props.workbook, t('sheet.newName', { n: props.sheets.length + 1 }))
    props.onSelect(id)
  }
  const rename = (id: string, name: string) => {
    const v = name.trim()
    if (v) props.workbook.renameSheet(id, v)
    setEditing(null)
  }
  const menuItems = (id: string) => {
    const i = props.sheets.findIndex((s) => s.id === id)
    const name = props.sheets[i]?.name ?? ''
    return [
      { label: t('sheet.rename'), disabled: props.readOnly, action: () => setEditing(id) },
      {
        label: t('sheet.moveLeft'),
        disabled: props.readOnly || i <= 0,
        action: () => props.workbook.moveSheet(id, i - 1),
      },
      {
        label: t('sheet.moveRight'),
        disabled: props.readOnly || i >= props.sheets.length - 1,
        action: () => props.workbook.moveSheet(id, i + 1),
      },
      {
        label: t('sheet.delete'),
        danger: true,
        disabled: props.readOnly,
        action: () => {
          if (confirm(t('sheet.confirmDelete', { name }))) props.workbook.deleteSheet(id)
        },
      },
    ]
  }

  return (
    <nav class="sheet-tabs" data-testid="sheet-tabs" aria-label="sheets">
      <For each={props.sheets}>
        {(s) => (
          <Show
            when={editing() === s.id}
            fallback={
              <button
                type="button"
                class={`tab ${props.active === s.id ? 'active' : ''}`}
                data-sheet-id={s.id}
                onClick={() => props.onSelect(s.id)}
                onDblClick={() => !props.readOnly && setEditing(s.id)}
                onContextMenu={(e) => {
                  e.preventDefault()
                  setMenu({ id: s.id, x: e.clientX, y: e.clientY - 150 })
                }}
              >
                {s.name}
              </button>
            }
          >
            <input
              class="tab-input"
              value={s.name}
              aria-label={t('sheet.renamePrompt')}
              ref={(el) => queueMicrotask(() => el.select())}
              onBlur={(e) => rename(s.id, e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') rename(s.id, e.currentTarget.value)
                if (e.key === 'Escape') setEditing(null)
              }}
            />
          </Show>
        )}
      </For>
      <Show when={!props.readOnly}>
        <button
          type="button"
          class="tab add"
          title={t('sheet.add')}
          aria-label={t('sheet.add')}
          onClick={add}
        >
          +
        </button>
      </Show>
      <Show when={menu()}>
        {(m) => (
          <ContextMenu
            x={m().x}
            y={m().y}
            items={menuItems(m().id)}
            onClose={() => setMenu(null)}
          />
        )}
      </Show>
    </nav>
  )
}
