import {
  AGGREGATE_KINDS,
  type AggregateKind,
  calendarMonthOf,
  crossTabToCsv,
  formatKey,
  formatValue,
  type MoneyUnit,
  periodOfMonth,
  periodRange,
  type RangeKind,
  removeSummary,
  type StoredSummary,
  saveSummary,
  summaryToCsv,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { groupLabel, openDrill } from '../grid/features/drillDown'
import { locale, t } from '../i18n'
import type { Ledger, SummaryEntry } from './createLedger'
import { downloadText } from './download'
import { CrossTabTable, exprErrorText, SummaryTable } from './tables'

/** Summary tables and cross-tabs: define, read live, export, drill down. */
export function SummariesTab(props: {
  ledger: Ledger
  readOnly: boolean
  selectSheet: (id: string) => void
}) {
  const wb = props.ledger.workbook
  const [selected, setSelected] = createSignal<string | null>(null)
  const [drill, setDrill] = createSignal<{
    keys: (string | number | boolean | null)[]
    rows: string[]
  } | null>(null)
  const current = createMemo((): SummaryEntry | undefined => {
    const list = props.ledger.summaries()
    return list.find((s) => s.id === selected()) ?? list[0]
  })
  const lang = () => locale()
  const [rangeKind, setRangeKind] = createSignal<RangeKind | ''>('')
  const pickRange = (kind: RangeKind | '') => {
    setRangeKind(kind)
    const r =
      kind === '' || kind === 'custom' ? undefined : periodRange(kind, calendarMonthOf(Date.now()))
    const month = (m: number) =>
      periodOfMonth({ year: Math.floor(m / 12), month: (m % 12) + 1 }, 'month')
    props.ledger.setPeriodRange(r ? { from: month(r.from), to: month(r.to) } : null)
  }

  return (
    <div class="reports-split">
      <aside class="reports-list">
        <For each={props.ledger.summaries()}>
          {(s) => (
            <button
              type="button"
              classList={{ active: current()?.id === s.id }}
              data-testid="summary-item"
              onClick={() => {
                setSelected(s.id)
                setDrill(null)
              }}
            >
              {s.def.title}
              <span class="muted">
                {' '}
                · {s.def.type === 'crossTab' ? t('rep.crossTab') : t('rep.summary')}
              </span>
            </button>
          )}
        </For>
        <Show when={!props.readOnly}>
          <NewSummaryForm ledger={props.ledger} onSaved={(id) => setSelected(id)} />
        </Show>
      </aside>
      <section class="reports-main">
        <Show when={current()} fallback={<p class="muted">{t('rep.noSummaries')}</p>}>
          {(s) => (
            <>
              <div class="reports-row">
                <h3>{s().def.title}</h3>
                <span class="muted">
                  {wb.hasSheet(s().def.sheetId) ? wb.sheet(s().def.sheetId).name : ''}
                </span>
                <span class="spacer" />
                <label class="rep-inline">
                  {t('rep.range.label')}
                  <select
                    data-testid="summary-range"
                    value={rangeKind()}
                    onChange={(e) => pickRange(e.currentTarget.value as RangeKind | '')}
                  >
                    <option value="">{t('rep.range.all')}</option>
                    <option value="thisMonth">{t('rep.range.thisMonth')}</option>
                    <option value="lastMonth">{t('rep.range.lastMonth')}</option>
                    <option value="thisQuarter">{t('rep.range.thisQuarter')}</option>
                    <option value="thisYear">{t('rep.range.thisYear')}</option>
                  </select>
                </label>
                <Show when={s().live}>
                  {(live) => (
                    <button
                      type="button"
                      data-testid="summary-csv"
                      onClick={() => {
                        const text =
                          s().def.type === 'crossTab'
                            ? crossTabToCsv(live().crossTab(), lang())
                            : summaryToCsv(live().table(), lang())
                        downloadText(`${s().def.title}.csv`, text)
                      }}
                    >
                      {t('rep.exportCsv')}
                    </button>
                  )}
                </Show>
                <Show when={!props.readOnly}>
                  <button type="button" class="danger" onClick={() => removeSummary(wb, s().id)}>
                    {t('rep.delete')}
                  </button>
                </Show>
              </div>
              <Show when={s().error}>
                {(e) => <p class="error">{exprErrorText(e().error, lang())}</p>}
              </Show>
              <Show when={s().building}>
                {(b) => (
                  <p class="muted" data-testid="summary-building">
                    <progress max={b().total} value={b().done} />{' '}
                    {t('rep.building', { done: b().done, total: b().total })}
                  </p>
                )}
              </Show>
              <Show when={s().live}>
                {(live) => (
                  <Show
                    when={s().def.type === 'crossTab'}
                    fallback={
                      <SummaryTable
                        table={props.ledger.live(() => live().table())}
                        onDrill={(keys) => setDrill({ keys, rows: live().rowsOf(keys) })}
                      />
                    }
                  >
                    <CrossTabTable crossTab={props.ledger.live(() => live().crossTab())} />
                  </Show>
                )}
              </Show>
              <Show when={drill()}>
                {(d) => (
                  <div class="drill" data-testid="drill">
                    <div class="reports-row">
                      <strong>
                        {t('rep.drillTitle', {
                          keys: d()
                            .keys.map((k) => formatKey(k, lang()))
                            .join(' / '),
                          n: d().rows.length,
                        })}
                      </strong>
                      <span class="spacer" />
                      <button
                        type="button"
                        data-testid="drill-open"
                        onClick={() => {
                          // issue 14 (ledger2): the sheet opens filtered to the group
                          openDrill({
                            sheetId: s().def.sheetId,
                            conditions: d().keys.map((k, i) => ({
                              label: groupLabel(groupByOf(s().def)[i] ?? ''),
                              value: formatKey(k, lang()),
                            })),
                            rowIds: d().rows,
                          })
                          props.selectSheet(s().def.sheetId)
                        }}
                      >
                        {t('rep.openSheet')}
                      </button>
                    </div>
                    <DrillRows sheetId={s().def.sheetId} rows={d().rows} ledger={props.ledger} />
                  </div>
                )}
              </Show>
            </>
          )}
        </Show>
      </section>
    </div>
  )
}

function DrillRows(props: { sheetId: string; rows: string[]; ledger: Ledger }) {
  const sheet = () => props.ledger.workbook.sheet(props.sheetId)
  const cols = () => sheet().columns().slice(0, 6)
  const label = (id: string) => {
    for (const s of props.ledger.workbook.listSheets()) {
      const sh = props.ledger.workbook.sheet(s.id)
      if (sh.hasRow(id)) return String(sh.getCell(id, sh.columns()[0]?.id ?? '') ?? id)
    }
    return id
  }
  return (
    <table class="rep-table">
      <thead>
        <tr>
          <For each={cols()}>{(c) => <th>{c.name}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For each={props.ledger.live(() => props.rows.slice(0, 200))}>
          {(id) => (
            <tr>
              <For each={cols()}>
                {(c) => (
                  <td>
                    {formatValue(sheet().getCell(id, c.id), c, {
                      locale: locale(),
                      referenceLabel: label,
                    })}
                  </td>
                )}
              </For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}

function NewSummaryForm(props: { ledger: Ledger; onSaved: (id: string) => void }) {
  const wb = props.ledger.workbook
  const sheets = () => props.ledger.live(() => wb.listSheets())
  const [title, setTitle] = createSignal('')
  const [sheetId, setSheetId] = createSignal<string>('')
  const [groupBy, setGroupBy] = createSignal('')
  const [kind, setKind] = createSignal<AggregateKind>('sum')
  const [expr, setExpr] = createSignal('')
  const [where, setWhere] = createSignal('')
  const [unit, setUnit] = createSignal<'' | MoneyUnit>('')
  const [cross, setCross] = createSignal(false)
  const [error, setError] = createSignal('')
  const save = (): void => {
    const sid = sheetId() || sheets()[0]?.id
    const scope = sid ? props.ledger.scopes.scope(sid) : undefined
    const keys = groupBy()
      .split(/[,，、]/)
      .map((s) => s.trim())
      .filter(Boolean)
    if (!scope || !sid) return void setError(t('rep.err.noSheet'))
    if (keys.length === 0 || (cross() && keys.length < 2))
      return void setError(t(cross() ? 'rep.err.crossKeys' : 'rep.err.noGroup'))
    const measure = {
      kind: kind(),
      ...(expr().trim() ? { expr: expr().trim() } : {}),
      ...(kind() === 'share' && where().trim() ? { where: where().trim() } : {}),
      ...(unit() ? { unit: unit() as MoneyUnit } : {}),
    }
    const name = title().trim() || keys.join(' × ')
    const def: StoredSummary = cross()
      ? { type: 'crossTab', title: name, sheetId: sid, rows: keys[0]!, columns: keys[1]!, measure }
      : { type: 'table', title: name, sheetId: sid, groupBy: keys, measures: [measure] }
    const r = saveSummary(wb, scope, def)
    if (!r.ok)
      return void setError(
        `${t(`rep.where.${r.where.split('.')[0]}` as 'rep.where.groupBy')}：${exprErrorText(r.error, locale())}`,
      )
    setError('')
    props.onSaved(r.id)
  }
  return (
    <form
      class="rep-form"
      data-testid="summary-form"
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <strong>{t('rep.newSummary')}</strong>
      <label>
        {t('rep.field.title')}
        <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>
        {t('rep.field.sheet')}
        <select
          data-testid="summary-sheet"
          value={sheetId() || sheets()[0]?.id}
          onChange={(e) => setSheetId(e.currentTarget.value)}
        >
          <For each={sheets()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
        </select>
      </label>
      <label>
        {t('rep.field.groupBy')}
        <input
          data-testid="summary-groupby"
          // zh-data: an example in the demo's own (Chinese) column names
          placeholder="站点.区县, 期间"
          value={groupBy()}
          onInput={(e) => setGroupBy(e.currentTarget.value)}
        />
      </label>
      <label>
        {t('rep.field.kind')}
        <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as AggregateKind)}>
          <For each={AGGREGATE_KINDS}>{(k) => <option value={k}>{t(`rep.agg.${k}`)}</option>}</For>
        </select>
      </label>
      <label>
        {t('rep.field.expr')}
        <input
          data-testid="summary-expr"
          // zh-data: an example in the demo's own (Chinese) column names
          placeholder="服务人次"
          value={expr()}
          onInput={(e) => setExpr(e.currentTarget.value)}
        />
      </label>
      <Show when={kind() === 'share'}>
        <label>
          {t('rep.field.where')}
          <input
            // zh-data: an example in the demo's own (Chinese) column names
            placeholder="服务人次 >= 100"
            value={where()}
            onInput={(e) => setWhere(e.currentTarget.value)}
          />
        </label>
      </Show>
      <label>
        {t('rep.field.unit')}
        <select value={unit()} onChange={(e) => setUnit(e.currentTarget.value as '' | MoneyUnit)}>
          <option value="">{t('rep.unit.none')}</option>
          {/* zh-data: a unit, the same in every locale */}
          <option value="元">元</option>
          {/* zh-data: a unit, the same in every locale */}
          <option value="万元">万元</option>
        </select>
      </label>
      <label class="inline">
        <input
          type="checkbox"
          checked={cross()}
          onChange={(e) => setCross(e.currentTarget.checked)}
        />
        {t('rep.field.crossTab')}
      </label>
      <Show when={error()}>
        <p class="error" role="alert" data-testid="summary-error">
          {error()}
        </p>
      </Show>
      <button type="submit" class="primary" data-testid="summary-save">
        {t('rep.save')}
      </button>
    </form>
  )
}

/** issue 14 (ledger2): a summary's or cross-tab's group-by expressions, outermost first. */
function groupByOf(def: StoredSummary): string[] {
  return def.type === 'crossTab' ? [def.rows, def.columns] : def.groupBy
}
