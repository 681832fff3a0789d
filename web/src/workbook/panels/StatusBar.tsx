import { type Accessor, Show } from 'solid-js'
import type { SelectionInfo } from '../../grid/makeSheetGrid'
import { formatNumber, t } from '../../i18n'
import type { StatusStats } from '../session/createStatusStats'

/** The footer: rows, the selection's size, the focused column's stats, unsynced edits. */
export function StatusBar(props: {
  stats: StatusStats | null
  selection: SelectionInfo
  pending: Accessor<number | null | undefined>
}) {
  return (
    <footer class="status-bar" data-testid="status-bar">
      <Show when={props.stats}>
        {(s) => (
          <>
            <span data-testid="row-count">{t('status.rows', { n: formatNumber(s().rows) })}</span>
            <Show when={props.selection.rows * props.selection.cols > 1}>
              <span>
                {t('status.selection', { r: props.selection.rows, c: props.selection.cols })}
              </span>
            </Show>
            <Show when={s().col || s().selection}>
              <Show when={s().col}>
                <span class="muted">{s().col}</span>
              </Show>
              <Show when={s().filtered}>
                <span class="muted" data-testid="stats-filtered">
                  {t('status.filtered')}
                </span>
              </Show>
              <Show when={s().count !== null && s().count !== undefined}>
                <span data-testid="col-count">
                  {t('status.count', { v: formatNumber(s().count ?? 0) })}
                </span>
              </Show>
              <Show when={s().sum !== null && s().sum !== undefined}>
                <span data-testid="col-sum">{t('status.sum', { v: s().sum ?? '' })}</span>
                <span data-testid="col-avg">{t('status.avg', { v: s().avg ?? '' })}</span>
              </Show>
            </Show>
          </>
        )}
      </Show>
      <span class="spacer" />
      <Show when={props.pending()}>
        {(n) => <span class="muted">{t('status.pending', { n: n() })}</span>}
      </Show>
    </footer>
  )
}
