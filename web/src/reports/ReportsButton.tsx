import { createSignal, Show } from 'solid-js'
import type { ToolbarExtensionProps } from '../app/toolbarExtensions'
import { t } from '../i18n'
import { ReportsView } from './ReportsView'

/** The toolbar's 报表 button: opens summaries, charts, completeness and the report page. */
export function ReportsButton(props: ToolbarExtensionProps) {
  const [open, setOpen] = createSignal(false)
  return (
    <>
      <button
        type="button"
        class="btn"
        data-keep
        data-testid="reports-open"
        onClick={() => setOpen(true)}
      >
        {t('rep.open')}
      </button>
      <Show when={open()}>
        <ReportsView
          session={props.session}
          selectSheet={(id) => {
            props.selectSheet(id)
            setOpen(false)
          }}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  )
}
