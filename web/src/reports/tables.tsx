import {
  type CrossTab,
  type ExprError,
  formatKey,
  type SummaryTable as Table,
} from '@taizhang/shared'
import { createEffect, createMemo, createSignal, For, Index, onCleanup, Show } from 'solid-js'
import { locale, t } from '../i18n'

/** An expression error in the UI's language, with where it is. */
export function exprErrorText(e: ExprError, lang: 'zh-CN' | 'en'): string {
  return lang === 'en' ? e.message.en : e.message.zh
}

export function figureText(v: number | null): string {
  if (v === null) return '—'
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(v)
}

/** Rows of a summary table drawn per task (see SummaryTable). */
const ROW_CHUNK = 200

/** A summary table with subtotal and total rows; a detail row drills down when clicked. */
export function SummaryTable(props: {
  table: Table
  onDrill?: (keys: Table['rows'][number]['keys']) => void
}) {
  const lang = () => locale()
  // Read once per change: `props.table` is the caller's expression (it computes the table), and
  // the rows below read it per row — 4,440 rows recomputed it 4,440 times (2.4 s for a
  // 2,800-station × 36-month summary, bench/web/reports.bench.ts).
  const table = createMemo(() => props.table)
  // A big table (2,800 stations × 36 months: 4,440 rows) is drawn ROW_CHUNK rows per task, not
  // all in one 700 ms task (200: a longest task of ~50 ms, ~80 at 400); rows already drawn are
  // updated in place.
  const [limit, setLimit] = createSignal(ROW_CHUNK)
  const rows = createMemo(() => {
    const all = table().rows
    return all.length <= limit() ? all : all.slice(0, limit())
  })
  createEffect(() => {
    if (limit() >= table().rows.length) return
    const timer = setTimeout(() => setLimit((n) => n + ROW_CHUNK), 0)
    onCleanup(() => clearTimeout(timer))
  })
  return (
    <table class="rep-table" data-testid="summary-table">
      <thead>
        <tr>
          <For each={table().keyLabels}>{(k) => <th>{k}</th>}</For>
          <For each={table().measureLabels}>{(m) => <th class="num">{m}</th>}</For>
          <th class="num">{t('rep.rows')}</th>
        </tr>
      </thead>
      <tbody>
        {/* By position, not identity: every change computes new row objects, and a keyed list
            rebuilt all 4,440 rows' DOM for one edit; by position only changed text is redrawn. */}
        <Index each={rows()}>
          {(r) => (
            <tr
              classList={{
                subtotal: r().level === 1,
                total: r().level === 2,
                drillable: r().level === 0 && !!props.onDrill,
              }}
              data-level={r().level}
              tabIndex={r().level === 0 && props.onDrill ? 0 : undefined}
              onClick={() => r().level === 0 && props.onDrill?.(r().keys)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && r().level === 0) props.onDrill?.(r().keys)
              }}
            >
              <For each={table().keyLabels}>
                {(_, i) => (
                  <td>
                    {r().level === 2
                      ? i() === 0
                        ? t('rep.total')
                        : ''
                      : r().level === 1
                        ? i() === 0
                          ? `${formatKey(r().keys[0] ?? null, lang())} ${t('rep.subtotal')}`
                          : ''
                        : formatKey(r().keys[i()] ?? null, lang())}
                  </td>
                )}
              </For>
              <Index each={r().values}>{(v) => <td class="num">{figureText(v())}</td>}</Index>
              <td class="num">{r().rows}</td>
            </tr>
          )}
        </Index>
      </tbody>
    </table>
  )
}

/** A cross-tab with a 合计 column and row. */
export function CrossTabTable(props: { crossTab: CrossTab }) {
  const lang = () => locale()
  // Read once per change (see SummaryTable): the rows below read it per row.
  const x = createMemo(() => props.crossTab)
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
