import {
  type CrossTab,
  type ExprError,
  formatKey,
  type SummaryTable as Table,
} from '@taizhang/shared'
import { For, Show } from 'solid-js'
import { locale, t } from '../i18n'

/** An expression error in the UI's language, with where it is. */
export function exprErrorText(e: ExprError, lang: 'zh-CN' | 'en'): string {
  return lang === 'en' ? e.message.en : e.message.zh
}

export function figureText(v: number | null): string {
  if (v === null) return '—'
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(v)
}

/** A summary table with subtotal and total rows; a detail row drills down when clicked. */
export function SummaryTable(props: {
  table: Table
  onDrill?: (keys: Table['rows'][number]['keys']) => void
}) {
  const lang = () => locale()
  return (
    <table class="rep-table" data-testid="summary-table">
      <thead>
        <tr>
          <For each={props.table.keyLabels}>{(k) => <th>{k}</th>}</For>
          <For each={props.table.measureLabels}>{(m) => <th class="num">{m}</th>}</For>
          <th class="num">{t('rep.rows')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.table.rows}>
          {(r) => (
            <tr
              classList={{
                subtotal: r.level === 1,
                total: r.level === 2,
                drillable: r.level === 0 && !!props.onDrill,
              }}
              data-level={r.level}
              tabIndex={r.level === 0 && props.onDrill ? 0 : undefined}
              onClick={() => r.level === 0 && props.onDrill?.(r.keys)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && r.level === 0) props.onDrill?.(r.keys)
              }}
            >
              <For each={props.table.keyLabels}>
                {(_, i) => (
                  <td>
                    {r.level === 2
                      ? i() === 0
                        ? t('rep.total')
                        : ''
                      : r.level === 1
                        ? i() === 0
                          ? `${formatKey(r.keys[0] ?? null, lang())} ${t('rep.subtotal')}`
                          : ''
                        : formatKey(r.keys[i()] ?? null, lang())}
                  </td>
                )}
              </For>
              <For each={r.values}>{(v) => <td class="num">{figureText(v)}</td>}</For>
              <td class="num">{r.rows}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}

/** A cross-tab with a 合计 column and row. */
export function CrossTabTable(props: { crossTab: CrossTab }) {
  const lang = () => locale()
  const x = () => props.crossTab
  return (
    <div class="rep-scroll">
      <table class="rep-table" data-testid="crosstab">
        <thead>
          <tr>
            <th>
              {x().rowLabel} \ {x().colLabel}
            </th>
            <For each={x().columns}>{(c) => <th class="num">{formatKey(c, lang())}</th>}</For>
            <th class="num">{t('rep.total')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={x().rows}>
            {(r, i) => (
              <tr>
                <th>{formatKey(r, lang())}</th>
                <For each={x().cells[i()]}>{(v) => <td class="num">{figureText(v)}</td>}</For>
                <td class="num total">{figureText(x().rowTotals[i()] ?? null)}</td>
              </tr>
            )}
          </For>
          <tr class="total">
            <th>{t('rep.total')}</th>
            <For each={x().columnTotals}>{(v) => <td class="num">{figureText(v)}</td>}</For>
            <td class="num" data-testid="crosstab-total">
              {figureText(x().total)}
            </td>
          </tr>
        </tbody>
      </table>
      <Show when={x().rows.length === 0}>
        <p class="muted">{t('rep.empty')}</p>
      </Show>
    </div>
  )
}
