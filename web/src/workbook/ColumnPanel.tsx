import {
  COLUMN_TYPES,
  type Column,
  type ColumnType,
  MONEY_UNITS,
  type MoneyUnit,
  planRetype,
  type Workbook,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { type MessageKey, t } from '../i18n'
import { EnumOptionsEditor } from './EnumOptionsEditor'

function numOrUndef(s: string): number | string | undefined {
  const v = s.trim()
  if (!v) return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : v
}

/** Add, rename, retype, constrain, reorder and delete columns. Every change is one undoable write. */
export function ColumnPanel(props: {
  workbook: Workbook
  sheetId: string
  version: number
  readOnly: boolean
  onClose: () => void
}) {
  const sheet = () => props.workbook.sheet(props.sheetId)
  const columns = createMemo(() => {
    void props.version
    return sheet().columns()
  })
  const [openId, setOpenId] = createSignal<string | null>(null)
  // issue 14 (ledger): retyping to 期间 converts what parses, keeps (and counts) the rest.
  const [retypeNote, setRetypeNote] = createSignal('')
  const retype = (col: Column, type: ColumnType) => {
    const s = sheet()
    setRetypeNote('')
    if (type !== 'period') return s.updateColumn(col.id, { type })
    const plan = planRetype(
      s.rowIds().map((id): [string, ReturnType<typeof s.getCell>] => [id, s.getCell(id, col.id)]),
      col,
      { type, format: col.format, constraints: col.constraints },
    )
    props.workbook.transact(() => {
      s.updateColumn(col.id, { type })
      s.setCells(plan.edits.map((e) => ({ row: e.rowId, col: col.id, value: e.value })))
    })
    setRetypeNote(
      t('col.retypeResult', { converted: plan.edits.length, kept: plan.failures.length }),
    )
  }
  const sheets = createMemo(() => {
    void props.version
    return props.workbook.listSheets()
  })

  const add = () => {
    const id = sheet().addColumn({ name: t('col.newName'), type: 'text' })
    setOpenId(id)
  }

  return (
    <aside class="side-panel" data-testid="column-panel">
      <header>
        <h3>{t('col.title')}</h3>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </header>
      <ol class="col-list">
        <For each={columns()}>
          {(col, i) => (
            <li class={openId() === col.id ? 'open' : ''}>
              <div class="col-row">
                <button
                  type="button"
                  class="link"
                  onClick={() => setOpenId(openId() === col.id ? null : col.id)}
                >
                  {col.name}
                </button>
                <span class="muted">{t(`type.${col.type}` as MessageKey)}</span>
                <span class="spacer" />
                <button
                  type="button"
                  class="icon"
                  title={t('col.moveUp')}
                  aria-label={t('col.moveUp')}
                  disabled={props.readOnly || i() === 0}
                  onClick={() => sheet().moveColumn(col.id, i() - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="icon"
                  title={t('col.moveDown')}
                  aria-label={t('col.moveDown')}
                  disabled={props.readOnly || i() === columns().length - 1}
                  onClick={() => sheet().moveColumn(col.id, i() + 1)}
                >
                  ↓
                </button>
              </div>
              <Show when={openId() === col.id}>
                <fieldset class="col-form" disabled={props.readOnly}>
                  <label class="field">
                    {t('col.name')}
                    <input
                      type="text"
                      value={col.name}
                      onChange={(e) =>
                        e.currentTarget.value.trim() &&
                        sheet().updateColumn(col.id, { name: e.currentTarget.value.trim() })
                      }
                    />
                  </label>
                  <label class="field">
                    {t('col.type')}
                    <select
                      value={col.type}
                      onChange={(e) => retype(col, e.currentTarget.value as ColumnType)}
                    >
                      <For each={COLUMN_TYPES}>
                        {(ty) => <option value={ty}>{t(`type.${ty}` as MessageKey)}</option>}
                      </For>
                    </select>
                  </label>
                  <Show when={retypeNote()}>
                    <p class="muted" data-testid="retype-note">
                      {retypeNote()}
                    </p>
                  </Show>
                  <Show when={col.type === 'period'}>
                    <label class="field">
                      {t('col.granularity')}
                      <select
                        value={col.format.granularity ?? ''}
                        onChange={(e) => {
                          const g = e.currentTarget.value as 'month' | 'quarter' | 'year' | ''
                          sheet().updateColumn(col.id, {
                            format: { ...col.format, granularity: g === '' ? undefined : g },
                          })
                        }}
                      >
                        <option value="">{t('period.any')}</option>
                        <option value="month">{t('period.month')}</option>
                        <option value="quarter">{t('period.quarter')}</option>
                        <option value="year">{t('period.year')}</option>
                      </select>
                    </label>
                  </Show>
                  <div class="checks">
                    <label>
                      <input
                        type="checkbox"
                        checked={!!col.constraints.required}
                        onChange={(e) =>
                          sheet().updateColumn(col.id, {
                            constraints: { ...col.constraints, required: e.currentTarget.checked },
                          })
                        }
                      />
                      {t('col.required')}
                    </label>
                    <label>
                      <input
                        type="checkbox"
                        checked={!!col.constraints.unique}
                        onChange={(e) =>
                          sheet().updateColumn(col.id, {
                            constraints: { ...col.constraints, unique: e.currentTarget.checked },
                          })
                        }
                      />
                      {t('col.unique')}
                    </label>
                  </div>
                  <Show when={['number', 'integer', 'percent', 'money', 'date'].includes(col.type)}>
                    <div class="pair">
                      <label class="field">
                        {t('col.min')}
                        <input
                          type="text"
                          value={col.constraints.min ?? ''}
                          onChange={(e) =>
                            sheet().updateColumn(col.id, {
                              constraints: {
                                ...col.constraints,
                                min: numOrUndef(e.currentTarget.value),
                              },
                            })
                          }
                        />
                      </label>
                      <label class="field">
                        {t('col.max')}
                        <input
                          type="text"
                          value={col.constraints.max ?? ''}
                          onChange={(e) =>
                            sheet().updateColumn(col.id, {
                              constraints: {
                                ...col.constraints,
                                max: numOrUndef(e.currentTarget.value),
                              },
                            })
                          }
                        />
                      </label>
                    </div>
                  </Show>
                  <Show when={['number', 'percent', 'money'].includes(col.type)}>
                    <label class="field">
                      {t('col.decimals')}
                      <input
                        type="number"
                        min="0"
                        max="10"
                        value={col.format.decimals ?? ''}
                        onChange={(e) => {
                          const v = e.currentTarget.value
                          sheet().updateColumn(col.id, {
                            format: { ...col.format, decimals: v === '' ? undefined : Number(v) },
                          })
                        }}
                      />
                    </label>
                  </Show>
                  <Show when={col.type === 'money'}>
                    <label class="field">
                      {t('col.unit')}
                      <select
                        value={col.format.unit ?? MONEY_UNITS[0]}
                        onChange={(e) =>
                          sheet().updateColumn(col.id, {
                            format: { ...col.format, unit: e.currentTarget.value as MoneyUnit },
                          })
                        }
                      >
                        <For each={MONEY_UNITS}>{(u) => <option value={u}>{u}</option>}</For>
                      </select>
                    </label>
                  </Show>
                  <Show when={col.type === 'enum'}>
                    <div class="field">
                      {t('enum.options')}
                      <EnumOptionsEditor
                        options={col.constraints.options ?? []}
                        disabled={props.readOnly}
                        onChange={(options) =>
                          sheet().updateColumn(col.id, {
                            constraints: { ...col.constraints, options },
                          })
                        }
                      />
                    </div>
                  </Show>
                  <Show when={col.type === 'reference'}>
                    <label class="field">
                      {t('col.refSheet')}
                      <select
                        value={col.format.refSheet ?? ''}
                        onChange={(e) =>
                          sheet().updateColumn(col.id, {
                            format: {
                              ...col.format,
                              refSheet: e.currentTarget.value,
                              refColumn: undefined,
                            },
                          })
                        }
                      >
                        <option value="" />
                        <For each={sheets()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
                      </select>
                    </label>
                    <Show
                      when={col.format.refSheet && props.workbook.hasSheet(col.format.refSheet)}
                    >
                      <label class="field">
                        {t('col.refColumn')}
                        <select
                          value={col.format.refColumn ?? ''}
                          onChange={(e) =>
                            sheet().updateColumn(col.id, {
                              format: { ...col.format, refColumn: e.currentTarget.value },
                            })
                          }
                        >
                          <For each={props.workbook.sheet(col.format.refSheet!).columns()}>
                            {(c) => <option value={c.id}>{c.name}</option>}
                          </For>
                        </select>
                      </label>
                    </Show>
                  </Show>
                  <button
                    type="button"
                    class="btn small danger"
                    onClick={() =>
                      confirm(t('col.confirmDelete', { name: col.name })) &&
                      sheet().deleteColumn(col.id)
                    }
                  >
                    {t('col.delete')}
                  </button>
                </fieldset>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={!props.readOnly}>
        <button type="button" class="btn" data-testid="add-column" onClick={add}>
          + {t('col.add')}
        </button>
      </Show>
    </aside>
  )
}
