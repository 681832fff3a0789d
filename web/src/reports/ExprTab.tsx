import {
  checkRules,
  compileComputedColumns,
  compileSource,
  type ExprError,
  findOutliers,
  formatValue,
  isNumericType,
  MODIFIED_Z_THRESHOLD,
  type RuleLevel,
  removeComputedColumn,
  removeRule,
  rulesOf,
  saveComputedColumn,
  saveRule,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { locale, t } from '../i18n'
import type { Ledger } from './createLedger'
import { exprErrorText } from './tables'

/** How many rows the previews and problem lists show. */
const SHOWN = 50

/** The expression with the error's place underlined, and the message, where it is typed. */
export function ExprFeedback(props: { source: string; error: ExprError | null }) {
  return (
    <Show when={props.error}>
      {(e) => (
        <div class="expr-error" role="alert" data-testid="expr-error">
          <code>
            {props.source.slice(0, e().at)}
            <mark>{props.source.slice(e().at, e().at + Math.max(1, e().length)) || ' '}</mark>
            {props.source.slice(e().at + Math.max(1, e().length))}
          </code>
          <div>{exprErrorText(e(), locale())}</div>
        </div>
      )}
    </Show>
  )
}

/** Computed columns, cross-field rules and outlier warnings of one sheet. */
export function ExprTab(props: { ledger: Ledger; readOnly: boolean }) {
  const wb = props.ledger.workbook
  const sheets = () => props.ledger.live(() => wb.listSheets())
  const [picked, setPicked] = createSignal('')
  const sheetId = () => picked() || sheets()[0]?.id || ''
  const scope = () => (sheetId() ? props.ledger.scopes.scope(sheetId()) : undefined)
  const sheet = () => (wb.hasSheet(sheetId()) ? wb.sheet(sheetId()) : undefined)
  const rowLabel = (rowId: string) => {
    const s = sheet()
    if (!s) return rowId
    return t('rep.expr.row', { n: s.rowIndex(rowId) + 1 })
  }

  // ---- computed columns
  const [name, setName] = createSignal('')
  const [expr, setExpr] = createSignal('')
  const exprError = createMemo(() => {
    const sc = scope()
    if (!sc || expr().trim() === '') return null
    const c = compileSource(expr(), sc)
    return c.ok ? null : c.error
  })
  const [saveError, setSaveError] = createSignal<ExprError | null>(null)
  const computed = createMemo(() => {
    const sc = scope()
    return sc ? props.ledger.live(() => compileComputedColumns(wb, sc)) : []
  })
  const previewIds = createMemo(() => props.ledger.live(() => sheet()?.rowIds().slice(0, 5) ?? []))

  // ---- rules
  const [ruleExpr, setRuleExpr] = createSignal('')
  const [ruleLevel, setRuleLevel] = createSignal<RuleLevel>('error')
  const [ruleMessage, setRuleMessage] = createSignal('')
  const ruleError = createMemo(() => {
    const sc = scope()
    if (!sc || ruleExpr().trim() === '') return null
    const c = compileSource(ruleExpr(), sc)
    return c.ok ? null : c.error
  })
  const rules = createMemo(() => props.ledger.live(() => rulesOf(wb, sheetId())))
  const checked = createMemo(() => {
    const sc = scope()
    const s = sheet()
    if (!sc || !s) return { problems: [], broken: [] }
    return props.ledger.live(() => checkRules(rules(), sc, s.rowIds()))
  })

  // ---- outliers over the station's own history
  const numericCols = () =>
    sheet()
      ?.columns()
      .filter((c) => isNumericType(c.type)) ?? []
  const groupCol = () =>
    sheet()
      ?.columns()
      .find((c) => c.type === 'reference')
  const [outlierCol, setOutlierCol] = createSignal('')
  const outliers = createMemo(() => {
    const s = sheet()
    const col = numericCols().find((c) => c.id === outlierCol()) ?? numericCols()[0]
    const g = groupCol()
    if (!s || !col || !g) return []
    return props.ledger.live(() =>
      findOutliers(
        s.rowIds(),
        (id) => s.getCell(id, g.id),
        (id) => s.getCell(id, col.id),
        col.name,
      ),
    )
  })
  const msg = (m: { zh: string; en: string }) => (locale() === 'en' ? m.en : m.zh)

  return (
    <div class="reports-main expr-tab" data-testid="expr-tab">
      <label class="rep-inline">
        {t('rep.field.sheet')}
        <select value={sheetId()} onChange={(e) => setPicked(e.currentTarget.value)}>
          <For each={sheets()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
        </select>
      </label>

      <h3>{t('rep.expr.computed')}</h3>
      <p class="muted">{t('rep.expr.computedHelp')}</p>
      <Show when={computed().length > 0}>
        <table class="rep-table" data-testid="computed-table">
          <thead>
            <tr>
              <th>{t('rep.expr.name')}</th>
              <th>{t('rep.expr.expr')}</th>
              <For each={previewIds()}>{(id) => <th class="num">{rowLabel(id)}</th>}</For>
              <th />
            </tr>
          </thead>
          <tbody>
            <For each={computed()}>
              {(c) => (
                <tr>
                  <th>{c.def.name}</th>
                  <td>
                    <code>{c.def.expr}</code>
                    <Show when={!c.ok && c}>
                      {(bad) => <div class="error">{exprErrorText(bad().error, locale())}</div>}
                    </Show>
                  </td>
                  <For each={previewIds()}>
                    {(id) => (
                      <td class="num" data-testid="computed-value">
                        {(() => {
                          if (!c.ok) return '—'
                          props.ledger.version()
                          const r = c.compiled.run(id)
                          if (!r.ok) return msg(r.error.message)
                          return formatValue(r.value, {
                            type: typeof r.value === 'number' ? 'number' : 'text',
                            format: { decimals: c.def.decimals },
                            constraints: {},
                          })
                        })()}
                      </td>
                    )}
                  </For>
                  <td>
                    <Show when={!props.readOnly}>
                      <button
                        type="button"
                        class="danger"
                        onClick={() => removeComputedColumn(wb, c.id)}
                      >
                        {t('rep.delete')}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={!props.readOnly}>
        <form
          class="rep-form-row"
          onSubmit={(e) => {
            e.preventDefault()
            const sc = scope()
            if (!sc) return
            const r = saveComputedColumn(wb, sc, { sheetId: sheetId(), name: name(), expr: expr() })
            setSaveError(r.ok ? null : r.error)
            if (r.ok) {
              setName('')
              setExpr('')
            }
          }}
        >
          <input
            placeholder={t('rep.expr.namePlaceholder')}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="computed-name"
          />
          <input
            class="expr-input"
            // zh-data: an example in the demo's own (Chinese) column names
            placeholder="服务人次 / 站点.持证社工"
            value={expr()}
            onInput={(e) => setExpr(e.currentTarget.value)}
            data-testid="computed-expr"
          />
          <button
            type="submit"
            class="primary"
            disabled={!!exprError()}
            data-testid="computed-save"
          >
            {t('rep.add')}
          </button>
        </form>
        <ExprFeedback source={expr()} error={exprError() ?? saveError()} />
      </Show>

      <h3>{t('rep.expr.rules')}</h3>
      <table class="rep-table">
        <tbody>
          <For each={rules()}>
            {([id, r]) => (
              <tr>
                <td>
                  <code>{r.expr}</code>
                </td>
                <td class={r.level === 'error' ? 'error' : 'warn'}>
                  {t(`rep.expr.level.${r.level}`)}
                </td>
                <td>{r.message}</td>
                <td class="num">
                  {t('rep.expr.violations', {
                    n: checked().problems.filter((p) => p.ruleId === id).length,
                  })}
                </td>
                <td>
                  <Show when={!props.readOnly}>
                    <button type="button" class="danger" onClick={() => removeRule(wb, id)}>
                      {t('rep.delete')}
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={!props.readOnly}>
        <form
          class="rep-form-row"
          onSubmit={(e) => {
            e.preventDefault()
            const sc = scope()
            if (!sc) return
            const r = saveRule(wb, sc, {
              sheetId: sheetId(),
              expr: ruleExpr(),
              level: ruleLevel(),
              message: ruleMessage(),
            })
            if (r.ok) {
              setRuleExpr('')
              setRuleMessage('')
            }
          }}
        >
          <input
            class="expr-input"
            // zh-data: an example in the demo's own (Chinese) column names
            placeholder="服务人次 >= 服务活动（次）"
            value={ruleExpr()}
            onInput={(e) => setRuleExpr(e.currentTarget.value)}
            data-testid="rule-expr"
          />
          <select
            value={ruleLevel()}
            onChange={(e) => setRuleLevel(e.currentTarget.value as RuleLevel)}
          >
            <option value="error">{t('rep.expr.level.error')}</option>
            <option value="warning">{t('rep.expr.level.warning')}</option>
          </select>
          <input
            placeholder={t('rep.expr.messagePlaceholder')}
            value={ruleMessage()}
            onInput={(e) => setRuleMessage(e.currentTarget.value)}
          />
          <button
            type="submit"
            class="primary"
            disabled={!!ruleError() || ruleExpr().trim() === ''}
          >
            {t('rep.add')}
          </button>
        </form>
        <ExprFeedback source={ruleExpr()} error={ruleError()} />
      </Show>
      <Show when={checked().problems.length > 0}>
        <ul class="problem-list" data-testid="rule-problems">
          <For each={checked().problems.slice(0, SHOWN)}>
            {(p) => (
              <li class={p.level}>
                {rowLabel(p.rowId)}：{msg(p.message)}
              </li>
            )}
          </For>
        </ul>
      </Show>

      <h3>{t('rep.expr.outliers')}</h3>
      <p class="muted">{t('rep.expr.outliersHelp', { threshold: MODIFIED_Z_THRESHOLD })}</p>
      <Show when={groupCol()} fallback={<p class="muted">{t('rep.expr.noGroup')}</p>}>
        <select
          value={outlierCol() || numericCols()[0]?.id}
          onChange={(e) => setOutlierCol(e.currentTarget.value)}
        >
          <For each={numericCols()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
        <ul class="problem-list" data-testid="outliers">
          <For
            each={outliers().slice(0, SHOWN)}
            fallback={<li class="muted">{t('rep.expr.noOutliers')}</li>}
          >
            {(o) => (
              <li class="warning">
                {rowLabel(o.rowId)}：{msg(o.message)}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  )
}
