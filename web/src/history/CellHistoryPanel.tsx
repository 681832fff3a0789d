import type { RowEvent, Workbook } from '@taizhang/shared'
import { createMemo, For, Show } from 'solid-js'
import { type MessageKey, t } from '../i18n'
import { AuthorLine } from './AuthorLine'
import { attestCellHistory, type LocalAcks } from './attested'
import { howText, valueText } from './format'

const ROW_KEYS: Record<RowEvent['kind'], MessageKey> = {
  insert: 'history.row.insert',
  move: 'history.row.move',
  delete: 'history.row.delete',
  restore: 'history.row.restore',
}

/**
 * 单元格历史: every value the focused cell has had, newest first, with who, when and how; losing
 * concurrent writes are marked. 恢复 writes an older value back as a new edit (editors only).
 * Below, the row's own history (inserted, moved, deleted, restored). Each entry names the author
 * the server vouches for, or 待服务器确认 (issue 13 §4, `AuthorLine`).
 */
export function CellHistoryPanel(props: {
  workbook: Workbook
  sheetId: string | null
  cell: { rowId: string; colId: string } | null
  /** Bumped on every model change, so the lists re-read the doc. */
  version: number
  readOnly: boolean
  /** This device's unacknowledged edits (`session.unacked`): they are 待服务器确认. */
  acks: LocalAcks
  onClose: () => void
}) {
  const sheet = () => (props.sheetId ? props.workbook.sheet(props.sheetId) : null)
  const items = () => {
    void props.version
    const s = sheet()
    const c = props.cell
    return s && c ? s.history.cell(c.rowId, c.colId) : []
  }
  const rowEvents = () => {
    void props.version
    const s = sheet()
    return s && props.cell ? s.history.row(props.cell.rowId) : []
  }
  // attestation (issue 13 §4): one read of the doc's records per model change (a memo: every
  // entry of both lists reads it).
  const attest = createMemo(() => {
    const s = sheet()
    const c = props.cell
    return s && c
      ? attestCellHistory(props.workbook.doc, s, c.rowId, items(), props.acks)
      : { cell: [], row: [] }
  })
  return (
    <aside class="side-panel" data-testid="cell-history">
      <header>
        <h3>{t('history.title')}</h3>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </header>
      <Show when={props.cell && sheet()} fallback={<p class="muted">{t('history.noCell')}</p>}>
        <Show when={items().length} fallback={<p class="muted">{t('history.none')}</p>}>
          <ul class="history-list">
            <For each={items()}>
              {(h, i) => (
                <li
                  data-testid="history-item"
                  data-how={h.how}
                  classList={{ 'history-lost-item': h.lost, 'history-current': h.current }}
                >
                  <div class="history-value" data-testid="history-value">
                    {valueText(sheet()!, props.cell!.colId, h.value)}
                  </div>
                  <div class="muted">
                    {howText(h.how)} ·{' '}
                    <AuthorLine
                      by={h.by}
                      attest={attest().cell[i()] ?? { status: 'pending', at: h.at ?? 0 }}
                    />
                  </div>
                  <Show when={h.current}>
                    <span class="history-badge">{t('history.current')}</span>
                  </Show>
                  <Show when={h.lost}>
                    <span class="history-badge warn">{t('history.lost')}</span>
                  </Show>
                  <Show when={!props.readOnly && !h.current && sheet()!.hasRow(props.cell!.rowId)}>
                    <button
                      type="button"
                      class="btn small"
                      data-testid="history-restore"
                      onClick={() =>
                        sheet()!.restoreValue(props.cell!.rowId, props.cell!.colId, h.value)
                      }
                    >
                      {t('history.restore')}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={rowEvents().length}>
          <h4>{t('history.rowTitle')}</h4>
          <ul class="history-list">
            <For each={rowEvents()}>
              {(e, i) => (
                <li data-testid="row-event" data-kind={e.kind}>
                  {t(ROW_KEYS[e.kind])} · {howText(e.how)} ·{' '}
                  <AuthorLine
                    by={e.by}
                    attest={attest().row[i()] ?? { status: 'pending', at: e.at }}
                  />
                  <Show when={e.source}>
                    <div class="muted">{t('history.row.source', { source: e.source })}</div>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </aside>
  )
}
