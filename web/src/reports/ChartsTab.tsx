import { CHART_KINDS, type ChartKind, removeChart, saveChart } from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { locale, t } from '../i18n'
import { ChartBox } from './ChartBox'
import { chartData } from './chartOption'
import type { Ledger } from './createLedger'
import { downloadUrl } from './download'

/** Charts over summaries: defined in the doc, so everyone sees the same chart, live. */
export function ChartsTab(props: { ledger: Ledger; readOnly: boolean }) {
  const wb = props.ledger.workbook
  const [title, setTitle] = createSignal('')
  const [summaryId, setSummaryId] = createSignal('')
  const [kind, setKind] = createSignal<ChartKind>('bar')
  const [error, setError] = createSignal('')
  const add = (): void => {
    const sid = summaryId() || props.ledger.summaries()[0]?.id
    const s = props.ledger.summaries().find((x) => x.id === sid)
    if (!s) return void setError(t('rep.err.noSummary'))
    setError('')
    saveChart(wb, { title: title().trim() || s.def.title, summaryId: s.id, kind: kind() })
  }
  return (
    <div class="reports-split">
      <aside class="reports-list">
        <Show when={!props.readOnly}>
          <form
            class="rep-form"
            onSubmit={(e) => {
              e.preventDefault()
              add()
            }}
          >
            <strong>{t('rep.newChart')}</strong>
            <label>
              {t('rep.field.title')}
              <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
            </label>
            <label>
              {t('rep.field.summary')}
              <select
                value={summaryId() || props.ledger.summaries()[0]?.id}
                onChange={(e) => setSummaryId(e.currentTarget.value)}
              >
                <For each={props.ledger.summaries()}>
                  {(s) => <option value={s.id}>{s.def.title}</option>}
                </For>
              </select>
            </label>
            <label>
              {t('rep.field.chartKind')}
              <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as ChartKind)}>
                <For each={CHART_KINDS}>
                  {(k) => <option value={k}>{t(`rep.chart.${k}`)}</option>}
                </For>
              </select>
            </label>
            <Show when={error()}>
              <p class="error">{error()}</p>
            </Show>
            <button type="submit" class="primary">
              {t('rep.save')}
            </button>
          </form>
        </Show>
      </aside>
      <section class="reports-main charts-grid">
        <Show
          when={props.ledger.charts().length > 0}
          fallback={<p class="muted">{t('rep.noCharts')}</p>}
        >
          <For each={props.ledger.charts()}>
            {([id]) => <LiveChart ledger={props.ledger} chartId={id} readOnly={props.readOnly} />}
          </For>
        </Show>
      </section>
    </div>
  )
}

/** A stored chart, live from its summary, with PNG export. */
export function LiveChart(props: {
  ledger: Ledger
  chartId: string
  readOnly: boolean
  bare?: boolean
}) {
  let png: (() => string) | null = null
  const def = () => props.ledger.charts().find(([id]) => id === props.chartId)?.[1]
  const data = () => {
    const d = def()
    const s = d && props.ledger.summaries().find((x) => x.id === d.summaryId)
    if (!d || !s?.live) return null
    props.ledger.version()
    return chartData(d.title, s.live.table(), s.live.crossTab(), locale())
  }
  return (
    <Show when={def() && data()} fallback={<p class="muted">{t('rep.chartMissing')}</p>}>
      <figure class="chart-card">
        <ChartBox kind={def()!.kind} data={data()!} onReady={(f) => (png = f)} />
        <Show when={!props.bare}>
          <figcaption class="no-print">
            <button
              type="button"
              data-testid="chart-png"
              onClick={() => png && downloadUrl(`${def()!.title}.png`, png())}
            >
              {t('rep.exportPng')}
            </button>
            <Show when={!props.readOnly}>
              <button
                type="button"
                class="danger"
                onClick={() => removeChart(props.ledger.workbook, props.chartId)}
              >
                {t('rep.delete')}
              </button>
            </Show>
          </figcaption>
        </Show>
      </figure>
    </Show>
  )
}
