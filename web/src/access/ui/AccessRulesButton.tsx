import { Show } from 'solid-js'
import type { ToolbarExtensionProps } from '../../app/toolbarExtensions'
import { accessSessionOf } from './createAccessSession'
import { RulesDialog } from './RulesDialog'
import { ta } from './text'

/**
 * 更多 → 权限规则 (issue 16): a toolbar button that is always hidden (`tz-more-only`), so the
 * toolbar's 更多 menu — which offers the hidden buttons — lists it without taking room in the row.
 */
export function AccessRulesButton(props: ToolbarExtensionProps) {
  const access = () => accessSessionOf(props.session.workbook)
  return (
    <Show when={access()}>
      {(a) => (
        <>
          <button
            type="button"
            class="btn tz-more-only"
            data-testid="access-rules-button"
            onClick={() => a().setRulesOpen(true)}
          >
            {ta('menuRules')}
          </button>
          <Show when={a().rulesOpen()}>
            <RulesDialog access={a()} onClose={() => a().setRulesOpen(false)} />
          </Show>
        </>
      )}
    </Show>
  )
}
