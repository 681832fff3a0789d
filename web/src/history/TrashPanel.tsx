import type { EditEntry, Workbook } from '@taizhang/shared'
import { For, Show } from 'solid-js'
import { formatTime, t } from '../i18n'
import { type EditAttestation, type RemovalLookup, removalAuthor } from './attested'
import { valueText } from './format'

/** A deleted row's label: its first live column's value, else its id. */
function rowLabel(wb: Workbook, sheetId: string, rowId: string): string {
  const s = wb.sheet(sheetId)
  const first = s.columns()[0]
  const v = first ? s.getAnyRow(rowId)?.cells[first.id] : undefined
  return v === undefined || v === null ? rowId : valueText(s, first!.id, v)
}

/**
 * 回收站: deleted sheets, rows and columns with who deleted them and when, and how many edits
 * others made to them while they were deleted; restore one or all (editors only).
 */
export function TrashPanel(props: {
  workbook: Workbook
  version: number
  readOnly: boolean
  onClose: () => void
  /** attestation (issue 13 §4): the server-vouched author of an edit (`makeAttestLookup`). */
  attestOf: (sheetId: string, editId: string, at: number) => EditAttestation
  /** Who deleted a row, a column or a sheet, as the server vouches for it (`makeRemovalLookup`). */
  removalOf: RemovalLookup
}) {
  const author = (sheetId: string, e: EditEntry) =>
    removalAuthor(props.attestOf(sheetId, e.editId, e.at), e.by)
  const trash = () => {
    void props.version
    return props.workbook.history.trash()
  }
  const empty = () => trash().sheets.length === 0 && trash().bySheet.length === 0
  return (
    <aside class="side-panel" data-testid="trash-panel">
      <header>
        <h3>{t('trash.title')}</h3>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </header>
      <Show when={!empty()} fallback={<p class="muted">{t('trash.empty')}</p>}>
        <Show when={trash().sheets.length}>
          <h4>{t('trash.sheets')}</h4>
          <ul class="history-list">
            <For each={trash().sheets}>
              {(s) => (
                <li data-testid="trash-sheet">
                  <div>{s.name}</div>
                  <DeletedLine attest={props.removalOf.sheet(s.id, s.at)} by={s.by} at={s.at} />
                  <Show when={!props.readOnly}>
                    <button
                      type="button"
                      class="btn small"
                      onClick={() => props.workbook.restoreSheet(s.id)}
                    >
                      {t('trash.restore')}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <For each={trash().bySheet}>
          {(g) => {
            const sheet = () => props.workbook.sheet(g.sheetId)
            return (
              <>
                <Show when={g.rows.length}>
                  <h4>
                    {t('trash.rows', { sheet: sheet().name })}
                    <Show when={!props.readOnly && g.rows.length > 1}>
                      <button
                        type="button"
                        class="btn small"
                        data-testid="trash-restore-all-rows"
                        onClick={() => sheet().restoreRows(g.rows.map((r) => r.id))}
                      >
                        {t('trash.restoreAll')}
                      </button>
                    </Show>
                  </h4>
                  <ul class="history-list">
                    <For each={g.rows}>
                      {(r) => (
                        <li data-testid="trash-row" data-row-id={r.id}>
                          <div>{rowLabel(props.workbook, g.sheetId, r.id)}</div>
                          <DeletedLine
                            attest={props.removalOf.row(g.sheetId, r.id, r.at)}
                            by={r.by}
                            at={r.at}
                          />
                          <Show when={r.editsWhileDeleted.length}>
                            <div class="history-lost" data-testid="trash-edits">
                              {t('trash.editsWhile', { n: r.editsWhileDeleted.length })}:{' '}
                              {r.editsWhileDeleted
                                .map(
                                  (e) =>
                                    `${valueText(sheet(), e.colId, e.value)} (${author(g.sheetId, e)})`,
                                )
                                .join('，')}
                            </div>
                          </Show>
                          <Show when={!props.readOnly}>
                            <button
                              type="button"
                              class="btn small"
                              data-testid="trash-restore-row"
                              onClick={() => sheet().restoreRows([r.id])}
                            >
                              {t('trash.restore')}
                            </button>
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <Show when={g.columns.length}>
                  <h4>{t('trash.columns', { sheet: sheet().name })}</h4>
                  <ul class="history-list">
                    <For each={g.columns}>
                      {(c) => (
                        <li data-testid="trash-column">
                          <div>
                            {sheet()
                              .deletedColumns()
                              .find((k) => k.id === c.id)?.name ?? c.id}
                          </div>
                          <DeletedLine
                            attest={props.removalOf.column(g.sheetId, c.id, c.at)}
                            by={c.by}
                            at={c.at}
                          />
                          <Show when={c.editsWhileDeleted.length}>
                            <div class="history-lost">
                              {t('trash.editsWhile', { n: c.editsWhileDeleted.length })}
                            </div>
                          </Show>
                          <Show when={!props.readOnly}>
                            <button
                              type="button"
                              class="btn small"
                              onClick={() => sheet().restoreColumns([c.id])}
                            >
                              {t('trash.restore')}
                            </button>
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </>
            )
          }}
        </For>
      </Show>
    </aside>
  )
}

/**
 * "{who} 于 {when} 删除": who as the server vouches for it (attestation, issue 13 §4), with
 * 待服务器确认 while the deletion is not yet received and acknowledged, or who relayed it.
 */
function DeletedLine(props: { attest: EditAttestation; by: string; at: number }) {
  const note = () => {
    const a = props.attest
    if (a.status === 'pending') return t('attest.pending')
    if (a.status === 'relayed') return t('attest.relayed', { via: a.via })
    return ''
  }
  return (
    <div class="muted" data-testid="trash-deleted" data-status={props.attest.status}>
      {t('trash.deleted', { by: removalAuthor(props.attest, props.by), at: formatTime(props.at) })}
      <Show when={note()}>
        <span data-testid="trash-attest">{t('trash.attestNote', { note: note() })}</span>
      </Show>
    </div>
  )
}
