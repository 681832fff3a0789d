import { writeDefinition } from '@taizhang/shared'
import { createSignal, For, Match, Show, Switch } from 'solid-js'
import { locale, t } from '../i18n'
import { LiveChart } from './ChartsTab'
import type { Ledger } from './createLedger'
import { printReport } from './printReport'
import { formatFigure, type ReportItem, type ReportLayout } from './reportLayout'

/**
 * The workbook's report page (汇报): key figures (grand totals of summaries, shown large with their
 * unit) and charts, laid out by the user, live, printable on A4 (print CSS in reports.css: title,
 * date, page numbers, no toolbar).
 */
export function ReportPage(props: { ledger: Ledger; readOnly: boolean }) {
  const wb = props.ledger.workbook
  const layout = () => props.ledger.report()
  const write = (next: ReportLayout) => writeDefinition(wb, 'report', 'main', next)
  const move = (i: number, d: -1 | 1) => {
    const items = [...layout().items]
    const j = i + d
    if (j < 0 || j >= items.length) return
    ;[items[i], items[j]] = [items[j]!, items[i]!]
    write({ ...layout(), items })
  }
  const remove = (i: number) =>
    write({ ...layout(), items: layout().items.filter((_, k) => k !== i) })
  const today = new Date().toLocaleDateString(locale())
  const figureValue = (item: Extract<ReportItem, { type: 'figure' }>) => {
    props.ledger.version()
    const s = props.ledger.summaries().find((x) => x.id === item.summaryId)
    const total = s?.live?.table().rows.at(-1)
    return total ? (total.values[item.measure] ?? null) : null
  }
  return (
    <div class="report-page" data-testid="report-page">
      <header class="report-title">
        <h1>
          {layout().title ||
            t('rep.report.title', { title: wb.meta().title || t('home.untitled') })}
        </h1>
        <p class="muted">{t('rep.report.date', { date: today })}</p>
      </header>
      <div class="report-items">
        <For each={layout().items}>
          {(item, i) => (
            <div class={`report-item report-${item.type}`}>
              <Switch>
                <Match when={item.type === 'figure' && item}>
                  {(f) => (
                    <div class="figure" data-testid="report-figure">
                      <div class="figure-value">
                        {formatFigure(figureValue(f()), f().style, locale())}
                        <span class="figure-unit">{f().unit}</span>
                      </div>
                      <div class="figure-label">{f().label}</div>
                    </div>
                  )}
                </Match>
                <Match when={item.type === 'chart' && item}>
                  {(c) => <LiveChart ledger={props.ledger} chartId={c().chartId} readOnly bare />}
                </Match>
              </Switch>
              <Show when={!props.readOnly}>
                <div class="item-tools no-print">
                  <button type="button" title={t('col.moveUp')} onClick={() => move(i(), -1)}>
                    ↑
                  </button>
                  <button type="button" title={t('col.moveDown')} onClick={() => move(i(), 1)}>
                    ↓
                  </button>
                  <button type="button" class="danger" onClick={() => remove(i())}>
                    {t('rep.delete')}
                  </button>
                </div>
              </Show>
            </div>
          )}
        </For>
      </div>
      <Show when={layout().items.length === 0}>
        <p class="muted no-print">{t('rep.report.empty')}</p>
      </Show>
      <div class="report-tools no-print">
        <button
          type="button"
          class="primary"
          data-testid="report-print"
          onClick={() => printReport()}
        >
          {t('rep.report.print')}
        </button>
        <Show when={!props.readOnly}>
          <AddItem
            ledger={props.ledger}
            onAdd={(item) => write({ ...layout(), items: [...layout().items, item] })}
          />
        </Show>
      </div>
    </div>
  )
}

function AddItem(props: { ledger: Ledger; onAdd: (item: ReportItem) => void }) {
  const [label, setLabel] = createSignal('')
  const [summaryId, setSummaryId] = createSignal('')
  const [measure, setMeasure] = createSignal(0)
  const [unit, setUnit] = createSignal('')
  const [style, setStyle] = createSignal<'plain' | 'percent' | 'wan'>('plain')
  const [chartId, setChartId] = createSignal('')
  return (
    <div class="rep-form-row">
      <fieldset>
        <legend>{t('rep.report.addFigure')}</legend>
        <input
          placeholder={t('rep.report.figureLabel')}
          value={label()}
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
        <select
          value={summaryId() || props.ledger.summaries()[0]?.id}
          onChange={(e) => setSummaryId(e.currentTarget.value)}
        >
          <For each={props.ledger.summaries()}>
            {(s) => <option value={s.id}>{s.def.title}</option>}
          </For>
        </select>
        <input
          type="number"
          min="0"
          style={{ width: '4em' }}
          value={measure()}
          onInput={(e) => setMeasure(Number(e.currentTarget.value) || 0)}
        />
        <input
          placeholder={t('rep.report.unit')}
          style={{ width: '5em' }}
          value={unit()}
          onInput={(e) => setUnit(e.currentTarget.value)}
        />
        <select value={style()} onChange={(e) => setStyle(e.currentTarget.value as 'plain')}>
          <option value="plain">1,435</option>
          {/* zh-data: a unit or number style, the same in every locale */}
          <option value="wan">2.3 万</option>
          <option value="percent">63.7%</option>
        </select>
        <button
          type="button"
          onClick={() => {
            const sid = summaryId() || props.ledger.summaries()[0]?.id
            if (!sid) return
            props.onAdd({
              type: 'figure',
              label: label().trim() || t('rep.report.figure'),
              summaryId: sid,
              measure: measure(),
              unit: unit().trim(),
              style: style(),
            })
            setLabel('')
          }}
        >
          {t('rep.add')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('rep.report.addChart')}</legend>
        <select
          value={chartId() || props.ledger.charts()[0]?.[0]}
          onChange={(e) => setChartId(e.currentTarget.value)}
        >
          <For each={props.ledger.charts()}>
            {([id, c]) => <option value={id}>{c.title}</option>}
          </For>
        </select>
        <button
          type="button"
          onClick={() => {
            const id = chartId() || props.ledger.charts()[0]?.[0]
            if (id) props.onAdd({ type: 'chart', chartId: id })
          }}
        >
          {t('rep.add')}
        </button>
      </fieldset>
    </div>
  )
}
