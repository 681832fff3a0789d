import {
  evaluateFigure,
  type FigureResult,
  figureNames,
  figureRoots,
  writeDefinition,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js'
import { locale, t } from '../i18n'
import { LiveChart } from './ChartsTab'
import type { Ledger } from './createLedger'
import { downloadUrl } from './download'
import { ExprFeedback } from './ExprTab'
import { printReport } from './printReport'
import { formatFigure, type ReportItem, type ReportLayout } from './reportLayout'
import { reportPng } from './reportPng'
import { exprErrorText } from './tables'

type Figure = Extract<ReportItem, { type: 'figure' }>

/** The records figure expressions read: every summary's grand totals, live. */
function liveRoots(ledger: Ledger) {
  ledger.version()
  return figureRoots(
    ledger.summaries().map((s) => ({ title: s.def.title, table: s.live?.table() ?? null })),
  )
}

/** A figure's value: its expression, or (saved before expressions) one summary's grand total. */
function figureResult(ledger: Ledger, item: Figure): FigureResult {
  if (item.expr) return evaluateFigure(item.expr, liveRoots(ledger))
  ledger.version()
  const s = ledger.summaries().find((x) => x.id === item.summaryId)
  const total = s?.live?.table().rows.at(-1)
  return { ok: true, value: total ? (total.values[item.measure ?? 0] ?? null) : null }
}

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
  // A report's date as written on paper: 2026年12月6日 / 6 December 2026.
  const today = new Date().toLocaleDateString(locale() === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  })
  let page: HTMLDivElement | undefined
  const title = () =>
    layout().title || t('rep.report.title', { title: wb.meta().title || t('home.untitled') })
  return (
    <div class="report-page" data-testid="report-page" ref={page}>
      <header class="report-title">
        <h1>{title()}</h1>
        <p class="muted">{t('rep.report.date', { date: today })}</p>
      </header>
      <div class="report-items">
        <For each={layout().items}>
          {(item, i) => (
            <div class={`report-item report-${item.type}`}>
              <Switch>
                <Match when={item.type === 'figure' && item}>
                  {(f) => {
                    const r = () => figureResult(props.ledger, f())
                    const text = () => {
                      const v = r()
                      return v.ok ? formatFigure(v.value, f().style, locale()) : '—'
                    }
                    const error = () => {
                      const v = r()
                      return v.ok ? null : v.error
                    }
                    return (
                      <div class="figure" data-testid="report-figure">
                        <div class="figure-value">
                          {text()}
                          <span class="figure-unit">{f().unit}</span>
                        </div>
                        <div class="figure-label">{f().label}</div>
                        <Show when={error()}>
                          {(e) => (
                            <div class="figure-error no-print" data-testid="figure-error">
                              {exprErrorText(e(), locale())}
                            </div>
                          )}
                        </Show>
                      </div>
                    )
                  }}
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
        <button
          type="button"
          data-testid="report-png"
          onClick={async () => {
            if (!page) return
            const url = await reportPng(page, {
              title: title(),
              date: t('rep.report.date', { date: today }),
            })
            downloadUrl(`${title()}.png`, url)
          }}
        >
          {t('rep.report.png')}
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
  const [expr, setExpr] = createSignal('')
  const [unit, setUnit] = createSignal('')
  const [style, setStyle] = createSignal<'plain' | 'percent' | 'wan'>('plain')
  const [chartId, setChartId] = createSignal('')
  const roots = createMemo(() => liveRoots(props.ledger))
  const check = createMemo(() => (expr().trim() ? evaluateFigure(expr(), roots()) : null))
  const error = () => {
    const c = check()
    return c && !c.ok ? c.error : null
  }
  const preview = () => {
    const c = check()
    return c?.ok ? c.value : undefined
  }
  let input: HTMLInputElement | undefined
  const insert = (name: string) => {
    const el = input
    const at = el?.selectionStart ?? expr().length
    const end = el?.selectionEnd ?? at
    setExpr(expr().slice(0, at) + name + expr().slice(end))
    el?.focus()
  }
  return (
    <div class="rep-form-row">
      <fieldset>
        <legend>{t('rep.report.addFigure')}</legend>
        <input
          placeholder={t('rep.report.figureLabel')}
          value={label()}
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
        <input
          ref={input}
          class="figure-expr"
          data-testid="figure-expr"
          placeholder={t('rep.report.figureExpr')}
          value={expr()}
          onInput={(e) => setExpr(e.currentTarget.value)}
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
          data-testid="figure-add"
          disabled={!check()?.ok}
          onClick={() => {
            if (!check()?.ok) return
            props.onAdd({
              type: 'figure',
              label: label().trim() || t('rep.report.figure'),
              expr: expr().trim(),
              unit: unit().trim(),
              style: style(),
            })
            setLabel('')
            setExpr('')
          }}
        >
          {t('rep.add')}
        </button>
        <ExprFeedback source={expr()} error={error()} />
        <Show when={preview() !== undefined}>
          <span class="muted" data-testid="figure-preview">
            {t('rep.report.preview', { value: formatFigure(preview() ?? null, style(), locale()) })}
          </span>
        </Show>
        <div class="figure-names">
          <span class="muted">{t('rep.report.names')}</span>
          <For each={figureNames(roots())}>
            {(n) => (
              <button type="button" class="chip" onClick={() => insert(n)}>
                {n}
              </button>
            )}
          </For>
        </div>
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
