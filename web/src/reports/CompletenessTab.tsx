import {
  type CompletenessCell,
  type CompletenessSettings,
  calendarMonthOf,
  completenessOf,
  createPeriodRow,
  formatPeriod,
  type Granularity,
  isNumericType,
  markComplete,
  parsePeriod,
  periodOfMonth,
  STATUS_LABELS,
  saveCompletenessSettings,
  unmarkComplete,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { locale, t } from '../i18n'
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

function SettingsForm(props: { ledger: Ledger; onDone: () => void }) {
  const wb = props.ledger.workbook
  const sheets = () =>
    wb.listSheets().filter((s) =>
      wb
        .sheet(s.id)
        .columns()
        .some((c) => c.type === 'reference'),
    )
  const existing = props.ledger.completeness()[0]
  const [sheetId, setSheetId] = createSignal(existing?.sheetId ?? sheets()[0]?.id ?? '')
  const sheet = () => (wb.hasSheet(sheetId()) ? wb.sheet(sheetId()) : undefined)
  const refCol = () =>
    sheet()
      ?.columns()
      .find((c) => c.type === 'reference')
  const periodCol = () =>
    sheet()
      ?.columns()
      .find((c) => c.type === 'period')
  const stationSheet = () => {
    const id = refCol()?.format.refSheet
    return id && wb.hasSheet(id) ? wb.sheet(id) : undefined
  }
  const now = calendarMonthOf(Date.now())
  const g = (): Granularity => periodCol()?.format.granularity ?? 'month'
  const [from, setFrom] = createSignal(existing?.from ?? '')
  const [to, setTo] = createSignal(existing?.to ?? periodOfMonth(now, 'month'))
  const [required, setRequired] = createSignal<string[] | null>(existing?.required ?? null)
  const [district, setDistrict] = createSignal(existing?.districtColumn ?? '')
  const [strict, setStrict] = createSignal(existing?.requireRulesToMark ?? false)
  const [error, setError] = createSignal('')
  const requiredIds = () =>
    required() ??
    sheet()
      ?.columns()
      .filter((c) => isNumericType(c.type))
      .map((c) => c.id) ??
    []
  const save = (): void => {
    const s = sheet()
    const r = refCol()
    const p = periodCol()
    if (!s || !r || !p) return void setError(t('rep.compl.needKeys'))
    const f = parsePeriod(from() || periodOfMonth({ year: now.year, month: 1 }, g()), {
      granularity: g(),
    })
    const e = parsePeriod(to(), { granularity: g() })
    if (!f.ok) return void setError(locale() === 'en' ? f.error.message.en : f.error.message.zh)
    if (!e.ok) return void setError(locale() === 'en' ? e.error.message.en : e.error.message.zh)
    if (requiredIds().length === 0) return void setError(t('rep.compl.needRequired'))
    const districtId =
      district() ||
      stationSheet()
        ?.columns()
        .find((c) => c.name.includes('区县'))?.id
    saveCompletenessSettings(wb, {
      sheetId: s.id,
      stationColumn: r.id,
      periodColumn: p.id,
      granularity: g(),
      required: requiredIds(),
      from: f.value,
      to: e.value,
      ...(districtId ? { districtColumn: districtId } : {}),
      requireRulesToMark: strict(),
    })
    setError('')
    props.onDone()
  }
  return (
    <form
      class="rep-form wide"
      data-testid="completeness-form"
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <strong>{t('rep.compl.settings')}</strong>
      <p class="muted">{t('rep.compl.explain')}</p>
      <label>
        {t('rep.field.sheet')}
        <select value={sheetId()} onChange={(e) => setSheetId(e.currentTarget.value)}>
          <For each={sheets()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
        </select>
      </label>
      <p class="muted">
        {t('rep.compl.keys', { station: refCol()?.name ?? '—', period: periodCol()?.name ?? '—' })}
      </p>
      <fieldset>
        <legend>{t('rep.compl.required')}</legend>
        <For
          each={
            sheet()
              ?.columns()
              .filter((c) => c.id !== refCol()?.id && c.id !== periodCol()?.id) ?? []
          }
        >
          {(c) => (
            <label class="inline">
              <input
                type="checkbox"
                checked={requiredIds().includes(c.id)}
                onChange={(e) =>
                  setRequired(
                    e.currentTarget.checked
                      ? [...requiredIds(), c.id]
                      : requiredIds().filter((x) => x !== c.id),
                  )
                }
              />
              {c.name}
            </label>
          )}
        </For>
      </fieldset>
      <label>
        {t('rep.compl.from')}
        <input
          placeholder="2024-01"
          value={from()}
          onInput={(e) => setFrom(e.currentTarget.value)}
        />
      </label>
      <label>
        {t('rep.compl.to')}
        <input placeholder="2024-12" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <label>
        {t('rep.compl.district')}
        <select value={district()} onChange={(e) => setDistrict(e.currentTarget.value)}>
          <option value="">{t('rep.unit.none')}</option>
          <For each={stationSheet()?.columns() ?? []}>
            {(c) => <option value={c.id}>{c.name}</option>}
          </For>
        </select>
      </label>
      <label class="inline">
        <input
          type="checkbox"
          checked={strict()}
          onChange={(e) => setStrict(e.currentTarget.checked)}
        />
        {t('rep.compl.strict')}
      </label>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <button type="submit" class="primary" data-testid="completeness-save">
        {t('rep.save')}
      </button>
    </form>
  )
}
