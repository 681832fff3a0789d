import type { EnumOption } from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { t } from '../i18n'
import { checkOptions, OPTION_COLORS } from './enumOptions'

/**
 * An enum column's options as a list: each with a colour picker (the browser's own, no hex to
 * type), its value, move up/down and remove; "添加选项" adds one with the next colour. Every change
 * that passes `checkOptions` is handed to `onChange` (one write); one that does not is shown and
 * nothing is written.
 */
export function EnumOptionsEditor(props: {
  options: readonly EnumOption[]
  disabled: boolean
  onChange: (options: EnumOption[]) => void
}) {
  const [error, setError] = createSignal<string | null>(null)
  /** Writes `next` if it is valid; false (and the message shown) if not. */
  const commit = (next: EnumOption[]): boolean => {
    const why = checkOptions(next)
    setError(why)
    if (!why) props.onChange(next.map((o) => ({ ...o, value: o.value.trim() })))
    return !why
  }
  const update = (i: number, patch: Partial<EnumOption>) =>
    commit(props.options.map((o, j) => (j === i ? { ...o, ...patch } : { ...o })))
  const move = (i: number, d: -1 | 1) => {
    const next = props.options.map((o) => ({ ...o }))
    const [o] = next.splice(i, 1)
    if (o) next.splice(i + d, 0, o)
    commit(next)
  }
  const add = () => {
    const used = new Set(props.options.map((o) => o.value))
    let n = props.options.length + 1
    while (used.has(t('enum.newValue', { n }))) n++
    const color = OPTION_COLORS[props.options.length % OPTION_COLORS.length]
    commit([...props.options.map((o) => ({ ...o })), { value: t('enum.newValue', { n }), color }])
  }
  return (
    <div class="enum-editor" data-testid="enum-editor">
      <ul class="enum-options">
        <For each={props.options}>
          {(o, i) => (
            <li class="enum-option" data-testid="enum-option">
              <input
                type="color"
                class="enum-color"
                aria-label={t('enum.color')}
                title={t('enum.color')}
                value={o.color ?? '#9ca3af'}
                disabled={props.disabled}
                onChange={(e) => update(i(), { color: e.currentTarget.value })}
              />
              <input
                type="text"
                class="enum-value"
                aria-label={t('enum.value')}
                value={o.value}
                maxLength={100}
                disabled={props.disabled}
                onChange={(e) => {
                  // Refused: the field shows the stored value again (the message says why).
                  if (!update(i(), { value: e.currentTarget.value }))
                    e.currentTarget.value = o.value
                }}
              />
              <button
                type="button"
                class="icon"
                title={t('enum.moveUp')}
                disabled={props.disabled || i() === 0}
                onClick={() => move(i(), -1)}
              >
                ↑
              </button>
              <button
                type="button"
                class="icon"
                title={t('enum.moveDown')}
                disabled={props.disabled || i() === props.options.length - 1}
                onClick={() => move(i(), 1)}
              >
                ↓
              </button>
              <button
                type="button"
                class="icon"
                title={t('enum.remove')}
                disabled={props.disabled}
                onClick={() =>
                  commit(props.options.filter((_, j) => j !== i()).map((x) => ({ ...x })))
                }
              >
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={error()}>
        <p class="error" data-testid="enum-error">
          {error()}
        </p>
      </Show>
      <button
        type="button"
        class="btn small"
        data-testid="enum-add"
        disabled={props.disabled}
        onClick={add}
      >
        {t('enum.add')}
      </button>
    </div>
  )
}
