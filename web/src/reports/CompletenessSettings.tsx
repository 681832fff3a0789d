import {
  calendarMonthOf,
  type Granularity,
  isNumericType,
  parsePeriod,
  periodOfMonth,
  saveCompletenessSettings,
} from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { locale, t } from '../i18n'
import type { Ledger } from './createLedger'

/** Declares a periodic sheet's keys (station reference + period), required columns and range. */
export function SettingsForm(props: { ledger: Ledger; onDone: () => void }) {
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
        // zh-data: Chinese data (a district column's name, the 万 unit), not UI text
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
