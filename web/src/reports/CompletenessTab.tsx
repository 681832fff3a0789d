import {
  type CompletenessCell,
  type CompletenessSettings,
  completenessOf,
  createPeriodRow,
  formatPeriod,
  markComplete,
  STATUS_LABELS,
  unmarkComplete,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { accessSessionOf, PeriodLocks } from '../access/ui'
import { locale, t } from '../i18n'
import { SettingsForm } from './CompletenessSettings'
import type { Ledger } from './createLedger'

/** Stations beyond this many are summarised in the rates only (a 2,800-row matrix is not read on screen). */
const MAX_MATRIX_STATIONS = 300

/** The reporting-completeness matrix of each periodic sheet, its rates, and its settings. */
export function CompletenessTab(props: {
  ledger: Ledger
  readOnly: boolean
  selectSheet: (id: string) => void
}) {
  const [editing, setEditing] = createSignal(false)
  return (
    <div class="reports-main">
      <Show
        when={props.ledger.completeness().length > 0 && !editing()}
        fallback={
          <Show when={!props.readOnly} fallback={<p class="muted">{t('rep.compl.none')}</p>}>
            <SettingsForm ledger={props.ledger} onDone={() => setEditing(false)} />
          </Show>
        }
      >
        <For each={props.ledger.completeness()}>
          {(s) => (
            <Matrix
              ledger={props.ledger}
              settings={s}
              readOnly={props.readOnly}
              selectSheet={props.selectSheet}
            />
          )}
        </For>
        <Show when={!props.readOnly}>
          <button type="button" onClick={() => setEditing(true)}>
            {t('rep.compl.configure')}
          </button>
        </Show>
      </Show>
    </div>
  )
}

function pct(r: number | null): string {
  return r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`
}

function Matrix(props: {
  ledger: Ledger
  settings: CompletenessSettings
  readOnly: boolean
  selectSheet: (id: string) => void
}) {
  const wb = props.ledger.workbook
  const matrix = createMemo(() => props.ledger.live(() => completenessOf(wb, props.settings)))
  const [picked, setPicked] = createSignal<{ s: number; p: number } | null>(null)
  const lang = () => locale()
  const label = (c: CompletenessCell) =>
    lang() === 'en' ? STATUS_LABELS[c.status].en : STATUS_LABELS[c.status].zh
  return (
    <Show when={matrix()} fallback={<p class="error">{t('rep.compl.broken')}</p>}>
      {(m) => (
        <section class="compl" data-testid="completeness">
          <h3>
            {t('rep.compl.title', {
              sheet: wb.hasSheet(props.settings.sheetId)
                ? wb.sheet(props.settings.sheetId).name
                : '',
            })}
            <span class="muted"> · {t('rep.compl.overall', { rate: pct(m().overall.rate) })}</span>
          </h3>
          <div class="legend">
            <For each={['reported', 'partial', 'missing', 'confirmed'] as const}>
              {(k) => (
                <span class={`st st-${k}`}>
                  {lang() === 'en' ? STATUS_LABELS[k].en : STATUS_LABELS[k].zh}
                </span>
              )}
            </For>
          </div>
          <div class="rep-scroll">
            <table class="rep-table compl-table" data-testid="completeness-matrix">
              <thead>
                <tr>
                  <th>{t('rep.compl.station')}</th>
                  <th>{t('rep.compl.district')}</th>
                  <For each={m().periods}>
                    {(p) => <th>{formatPeriod(p, lang() === 'en' ? 'iso' : 'zh')}</th>}
                  </For>
                </tr>
              </thead>
              <tbody>
                <For each={m().stations.slice(0, MAX_MATRIX_STATIONS)}>
                  {(st, si) => (
                    <tr>
                      <th>{st.label}</th>
                      <td class="muted">{st.district}</td>
                      <For each={m().cells[si()]}>
                        {(c, pi) => (
                          <td
                            class={`st st-${c.status}`}
                            data-status={c.status}
                            data-station={st.label}
                            data-period={m().periods[pi()]}
                            title={
                              c.mark
                                ? t('rep.compl.markedBy', {
                                    by: c.mark.by,
                                    at: new Date(c.mark.at).toLocaleString(lang()),
                                  })
                                : ''
                            }
                          >
                            <button
                              type="button"
                              class="st-btn"
                              onClick={() => setPicked({ s: si(), p: pi() })}
                            >
                              {label(c)}
                            </button>
                          </td>
                        )}
                      </For>
                    </tr>
                  )}
                </For>
                <tr class="total">
                  <th colSpan={2}>{t('rep.compl.rate')}</th>
                  <For each={m().byPeriod}>
                    {(r) => <td data-testid="period-rate">{pct(r.rate)}</td>}
                  </For>
                </tr>
              </tbody>
            </table>
          </div>
          <Show when={m().stations.length > MAX_MATRIX_STATIONS}>
            <p class="muted">
              {t('rep.compl.truncated', { n: MAX_MATRIX_STATIONS, total: m().stations.length })}
            </p>
          </Show>
          {/* issue 16 (access-ui): 锁定本期 / 重新开放, auto-lock, lock exceptions */}
          <Show when={accessSessionOf(wb)}>
            {(a) => (
              <PeriodLocks
                access={a()}
                settings={props.settings}
                periods={m().periods}
                stations={m().stations}
              />
            )}
          </Show>
          <Show when={picked()}>
            {(pk) => {
              const st = () => m().stations[pk().s]!
              const period = () => m().periods[pk().p]!
              const cell = () => m().cells[pk().s]?.[pk().p]
              return (
                <div class="compl-actions no-print" data-testid="completeness-actions">
                  <strong>
                    {st().label} · {formatPeriod(period(), lang() === 'en' ? 'iso' : 'zh')} ·{' '}
                    {cell() ? label(cell()!) : ''}
                  </strong>
                  <Show when={cell()?.rowId}>
                    <button type="button" onClick={() => props.selectSheet(props.settings.sheetId)}>
                      {t('rep.compl.goRow')}
                    </button>
                  </Show>
                  <Show when={!props.readOnly && !cell()?.rowId}>
                    <button
                      type="button"
                      data-testid="completeness-create"
                      onClick={() => {
                        createPeriodRow(wb, props.settings, st().id, period())
                        props.selectSheet(props.settings.sheetId)
                      }}
                    >
                      {t('rep.compl.createRow')}
                    </button>
                  </Show>
                  <Show when={!props.readOnly && cell()?.status !== 'confirmed'}>
                    <MarkButton
                      ledger={props.ledger}
                      settings={props.settings}
                      stationId={st().id}
                      period={period()}
                    />
                  </Show>
                  <Show when={!props.readOnly && cell()?.status === 'confirmed'}>
                    <button
                      type="button"
                      data-testid="completeness-unmark"
                      onClick={() => unmarkComplete(wb, props.settings.sheetId, st().id, period())}
                    >
                      {t('rep.compl.unmark')}
                    </button>
                  </Show>
                  <button type="button" onClick={() => setPicked(null)}>
                    {t('rep.close')}
                  </button>
                </div>
              )
            }}
          </Show>
          <h4>{t('rep.compl.byDistrict')}</h4>
          <table class="rep-table" data-testid="district-rates">
            <thead>
              <tr>
                <th>{t('rep.compl.district')}</th>
                <For each={m().periods}>
                  {(p) => <th>{formatPeriod(p, lang() === 'en' ? 'iso' : 'zh')}</th>}
                </For>
                <th>{t('rep.total')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={m().byDistrict}>
                {(d) => (
                  <tr>
                    <th>{d.district || t('rep.blank')}</th>
                    <For each={d.byPeriod}>{(r) => <td class="num">{pct(r.rate)}</td>}</For>
                    <td class="num">{pct(d.overall.rate)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </section>
      )}
    </Show>
  )
}

function MarkButton(props: {
  ledger: Ledger
  settings: CompletenessSettings
  stationId: string
  period: string
}) {
  const [error, setError] = createSignal('')
  return (
    <>
      <button
        type="button"
        class="primary"
        data-testid="completeness-mark"
        onClick={() => {
          const scope = props.ledger.scopes.scope(props.settings.sheetId)
          const r = markComplete(
            props.ledger.workbook,
            props.settings,
            props.stationId,
            props.period,
            Date.now(),
            scope,
          )
          setError(r.ok ? '' : locale() === 'en' ? r.reason.en : r.reason.zh)
        }}
      >
        {t('rep.compl.mark')}
      </button>
      <Show when={error()}>
        <span class="error">{error()}</span>
      </Show>
    </>
  )
}
