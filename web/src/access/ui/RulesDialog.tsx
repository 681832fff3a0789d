import {
  type AccessRule,
  deleteRule,
  ROLES,
  type Role,
  readRules,
  writeRule,
} from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { locale } from '../../i18n'
import { dialogKeys } from '../../workbook/dialogKeys'
import type { AccessSession } from './createAccessSession'
import { checkRuleDraft, type DraftProblem, type RuleDraft } from './ruleDraft'
import { roleLabel, ta } from './text'

const newRuleId = () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/**
 * The rules editor (更多 → 权限规则, issue 16 §1): the workbook's access rules, each a role, its
 * sheets and columns and a row condition; owners add, edit and delete them (the condition is
 * compiled first, a bad one is refused with a zh/en message and nothing is written). Others see
 * the rules read-only.
 */
export function RulesDialog(props: { access: AccessSession; onClose: () => void }) {
  const wb = props.access.workbook
  const rules = createMemo(() => {
    props.access.version()
    return readRules(wb)
  })
  const canEdit = () => props.access.canEditRules()
  const [draft, setDraft] = createSignal<RuleDraft | null>(null)
  const [problem, setProblem] = createSignal<DraftProblem | null>(null)
  const sheets = () => wb.listSheets()
  const sheetName = (id: string) => (wb.hasSheet(id) ? wb.sheet(id).name : id)
  const colName = (r: AccessRule, id: string) => {
    const sheetIds = r.sheets === '*' ? [] : r.sheets
    for (const s of sheetIds) {
      const c = wb.hasSheet(s) ? wb.sheet(s).column(id) : undefined
      if (c) return c.name
    }
    return id
  }
  const listText = (v: readonly string[] | '*', name: (id: string) => string) =>
    v === '*' ? ta('all') : v.map(name).join('、')

  const problemText = (p: DraftProblem) => {
    const en = locale() === 'en'
    switch (p.kind) {
      case 'sheets':
        return ta('errSheets')
      case 'columns':
        return ta('errColumns')
      case 'role':
        return ta('errRole')
      case 'condition': {
        const msg = en ? p.message.en : p.message.zh
        return p.sheetName
          ? ta('errConditionIn', { sheet: p.sheetName, msg })
          : ta('errCondition', { msg })
      }
    }
  }

  const save = (e: Event) => {
    e.preventDefault()
    const d = draft()
    if (!d || !canEdit()) return
    const r = checkRuleDraft(wb, d, newRuleId)
    if (!r.ok) {
      setProblem(r.problem)
      return
    }
    writeRule(wb, r.rule)
    setDraft(null)
    setProblem(null)
  }

  // The one sheet whose columns can be picked (columns are per sheet).
  const oneSheet = () => {
    const d = draft()
    return d && d.sheets !== '*' && d.sheets.length === 1 && wb.hasSheet(d.sheets[0]!)
      ? wb.sheet(d.sheets[0]!)
      : null
  }
  const update = (patch: Partial<RuleDraft>) => {
    const d = draft()
    if (d) setDraft({ ...d, ...patch })
    setProblem(null)
  }
  const toggleSheet = (id: string, on: boolean) => {
    const d = draft()
    if (!d) return
    const cur = d.sheets === '*' ? [] : d.sheets
    const next = on ? [...cur, id] : cur.filter((x) => x !== id)
    // Columns belong to one sheet: a changed sheet choice resets them to all.
    update({ sheets: next, columns: '*' })
  }
  const toggleColumn = (id: string, on: boolean) => {
    const d = draft()
    if (!d) return
    const cur = d.columns === '*' ? [] : d.columns
    update({ columns: on ? [...cur, id] : cur.filter((x) => x !== id) })
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop click is a mouse shortcut; Escape and the Close button cover keyboards.
    <div
      class="modal-backdrop"
      role="presentation"
      onClick={(e) => e.target === e.currentTarget && props.onClose()}
    >
      <div
        class="modal access-rules"
        data-testid="access-rules"
        role="dialog"
        aria-modal="true"
        ref={dialogKeys(() => props.onClose())}
      >
        <h3>{ta('panelTitle')}</h3>
        <p class="muted" data-testid="access-my-role">
          {ta('myRole', { role: roleLabel(props.access.gate.identity.role) })}
          {(props.access.gate.identity.scope?.station ?? props.access.gate.identity.scope?.district)
            ? ` · ${props.access.gate.identity.scope?.station ?? props.access.gate.identity.scope?.district}`
            : ''}
        </p>
        <Show when={rules().length > 0} fallback={<p class="muted">{ta('noRules')}</p>}>
          <table class="rep-table access-rules-table" data-testid="access-rules-table">
            <thead>
              <tr>
                <th>{ta('role')}</th>
                <th>{ta('sheets')}</th>
                <th>{ta('columns')}</th>
                <th>{ta('condition')}</th>
                <Show when={canEdit()}>
                  <th />
                </Show>
              </tr>
            </thead>
            <tbody>
              <For each={rules()}>
                {(r) => (
                  <tr data-rule={r.id}>
                    <td>{roleLabel(r.role)}</td>
                    <td>{listText(r.sheets, sheetName)}</td>
                    <td>{listText(r.columns, (id) => colName(r, id))}</td>
                    <td>
                      <code>{r.condition ?? ''}</code>
                    </td>
                    <Show when={canEdit()}>
                      <td class="access-rule-actions">
                        <button
                          type="button"
                          class="btn"
                          data-testid="access-rule-edit"
                          onClick={() => {
                            setProblem(null)
                            setDraft({
                              id: r.id,
                              role: r.role,
                              sheets: r.sheets,
                              columns: r.columns,
                              condition: r.condition ?? '',
                            })
                          }}
                        >
                          {ta('edit')}
                        </button>
                        <button
                          type="button"
                          class="btn"
                          data-testid="access-rule-delete"
                          onClick={() => deleteRule(wb, r.id)}
                        >
                          {ta('delete')}
                        </button>
                      </td>
                    </Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
        <Show when={canEdit() && draft()}>
          {(d) => (
            // noValidate: our own zh/en messages
            <form
              class="access-rule-form"
              noValidate
              onSubmit={save}
              data-testid="access-rule-form"
            >
              <label class="field">
                {ta('role')}
                <select
                  value={d().role}
                  data-testid="access-rule-role"
                  onChange={(e) => update({ role: e.currentTarget.value as Role })}
                >
                  <For each={ROLES.filter((r) => r !== 'owner' && r !== 'viewer')}>
                    {(r) => <option value={r}>{roleLabel(r)}</option>}
                  </For>
                </select>
              </label>
              <fieldset class="access-checks">
                <legend>{ta('sheets')}</legend>
                <label>
                  <input
                    type="checkbox"
                    checked={d().sheets === '*'}
                    onChange={(e) =>
                      update({ sheets: e.currentTarget.checked ? '*' : [], columns: '*' })
                    }
                  />
                  {ta('all')}
                </label>
                <For each={sheets()}>
                  {(s) => (
                    <label>
                      <input
                        type="checkbox"
                        disabled={d().sheets === '*'}
                        checked={d().sheets !== '*' && (d().sheets as string[]).includes(s.id)}
                        onChange={(e) => toggleSheet(s.id, e.currentTarget.checked)}
                      />
                      {s.name}
                    </label>
                  )}
                </For>
              </fieldset>
              <fieldset class="access-checks">
                <legend>{ta('columns')}</legend>
                <label>
                  <input
                    type="checkbox"
                    checked={d().columns === '*'}
                    disabled={!oneSheet()}
                    onChange={(e) => update({ columns: e.currentTarget.checked ? '*' : [] })}
                  />
                  {ta('all')}
                </label>
                <For each={oneSheet()?.columns() ?? []}>
                  {(c) => (
                    <label>
                      <input
                        type="checkbox"
                        disabled={d().columns === '*'}
                        checked={d().columns !== '*' && (d().columns as string[]).includes(c.id)}
                        onChange={(e) => toggleColumn(c.id, e.currentTarget.checked)}
                      />
                      {c.name}
                    </label>
                  )}
                </For>
              </fieldset>
              <label class="field">
                {ta('condition')}
                <input
                  type="text"
                  value={d().condition}
                  placeholder={ta('conditionHint')}
                  data-testid="access-rule-condition"
                  onInput={(e) => update({ condition: e.currentTarget.value })}
                />
              </label>
              <Show when={problem()}>
                {(p) => (
                  <p class="error" role="alert" data-testid="access-rule-error">
                    {problemText(p())}
                  </p>
                )}
              </Show>
              <div class="modal-actions">
                <button type="button" class="btn" onClick={() => setDraft(null)}>
                  {ta('cancel')}
                </button>
                <button type="submit" class="btn primary" data-testid="access-rule-save">
                  {ta('save')}
                </button>
              </div>
            </form>
          )}
        </Show>
        <div class="modal-actions">
          <Show when={canEdit() && !draft()}>
            <button
              type="button"
              class="btn"
              data-testid="access-rule-add"
              onClick={() => {
                setProblem(null)
                setDraft({ role: 'scoped-editor', sheets: '*', columns: '*', condition: '' })
              }}
            >
              {ta('add')}
            </button>
          </Show>
          <button type="button" class="btn" onClick={() => props.onClose()}>
            {ta('close')}
          </button>
        </div>
      </div>
    </div>
  )
}
