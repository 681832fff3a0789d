import type { Workbook, WorkbookConflict } from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { formatTime, locale, t } from '../i18n'
import { kindText, valueText } from './format'

/** Conflicts listed before the panel says "and more" (the count in the header is the full one). */
const MAX_LISTED = 300

/** Where a conflict is, for people: sheet, row number (or "deleted row") and column name. */
function whereText(wb: Workbook, c: WorkbookConflict): string {
  const sheet = wb.sheet(c.sheetId)
  const i = sheet.rowIndex(c.rowId)
  const col =
    sheet.column(c.colId)?.name ?? sheet.deletedColumns().find((k) => k.id === c.colId)?.name
  return t('conflict.where', {
    sheet: sheet.name,
    row: i >= 0 ? i + 1 : t('conflict.rowGone'),
    col: col ?? c.colId,
  })
}

/**
 * The 冲突 (N) inbox: every unsettled conflict with where it is, the current value and the losing
 * one (author, time, kind). 采用此值 writes the losing value back; 保留当前 settles it. Viewers see
 * the list without the buttons.
 */
export function ConflictInbox(props: {
  workbook: Workbook
  conflicts: WorkbookConflict[]
  readOnly: boolean
  mineOnly: boolean
  setMineOnly: (v: boolean) => void
  onJump: (c: WorkbookConflict) => void
  onClose: () => void
}) {
  const [error, setError] = createSignal<string | null>(null)
  const me = () => props.workbook.author().name
  const shown = () =>
    props.mineOnly ? props.conflicts.filter((c) => c.lost.by === me()) : props.conflicts
  const adopt = (c: WorkbookConflict) => {
    const r = props.workbook.history.adopt(c)
    setError(r.ok ? null : locale() === 'en' ? r.reason.en : r.reason.zh)
  }
  return (
    <aside class="side-panel" data-testid="conflict-inbox">
      <header>
        <h3>{t('conflict.inbox', { n: props.conflicts.length })}</h3>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </header>
      <label class="history-filter">
        <input
          type="checkbox"
          checked={props.mineOnly}
          data-testid="conflict-mine"
          onChange={(e) => props.setMineOnly(e.currentTarget.checked)}
        />
        {t('conflict.mine')}
      </label>
      <Show when={error()}>
        <p class="history-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={shown().length} fallback={<p class="muted">{t('conflict.none')}</p>}>
        <ul class="history-list">
          <For each={shown().slice(0, MAX_LISTED)}>
            {(c) => {
              const sheet = () => props.workbook.sheet(c.sheetId)
              return (
                <li data-testid="conflict-item" data-kind={c.kind}>
                  <button type="button" class="link" onClick={() => props.onJump(c)}>
                    {whereText(props.workbook, c)}
                  </button>
                  <div class="muted">{kindText(c.kind)}</div>
                  <div data-testid="conflict-current">
                    {t('conflict.current', {
                      value: valueText(sheet(), c.colId, sheet().getCell(c.rowId, c.colId)),
                    })}
                  </div>
                  <div class="history-lost" data-testid="conflict-lost">
                    {t('conflict.lostLine', {
                      by: c.lost.by,
                      at: formatTime(c.lost.at),
                      value: valueText(sheet(), c.colId, c.lost.value),
                    })}
                  </div>
                  {c.kind !== 'concurrent-edit' ? (
                    <div class="muted">
                      {t('conflict.deletedBy', { by: c.deletedBy, at: formatTime(c.deletedAt) })}
                    </div>
                  ) : null}
                  <Show when={!props.readOnly}>
                    <div class="history-actions">
                      <button
                        type="button"
                        class="btn small primary"
                        data-testid="conflict-adopt"
                        onClick={() => adopt(c)}
                      >
                        {t('conflict.adopt')}
                      </button>
                      <button
                        type="button"
                        class="btn small"
                        data-testid="conflict-keep"
                        onClick={() => props.workbook.history.keep(c)}
                      >
                        {t('conflict.keep')}
                      </button>
                    </div>
                  </Show>
                </li>
              )
            }}
          </For>
        </ul>
      </Show>
    </aside>
  )
}
