import type { Workbook, WorkbookConflict } from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { formatTime, locale, t } from '../i18n'
import { type EditAttestation, type RemovalLookup, removalAuthor, shortTime } from './attested'
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
  /** attestation (issue 13 §4): the server-vouched author of an edit (`makeAttestLookup`). */
  attestOf: (sheetId: string, editId: string, at: number) => EditAttestation
  /** Who deleted the row or column an edit landed on, as the server vouches for it. */
  removalOf?: RemovalLookup
}) {
  const [error, setError] = createSignal<string | null>(null)
  const lostAttest = (c: WorkbookConflict) => props.attestOf(c.sheetId, c.lost.editId, c.lost.at)
  // The token's name when the server vouches for the losing edit, else the self-chosen one.
  const lostAuthor = (c: WorkbookConflict) => {
    const a = lostAttest(c)
    return a.status === 'attested' ? a.name : c.lost.by
  }
  // Who deleted the row or column an edit landed on: the token's name when vouched for (the
  // self-chosen one beside it when different), as in the trash.
  const deleter = (c: WorkbookConflict) => {
    if (c.kind === 'concurrent-edit') return ''
    if (!props.removalOf) return c.deletedBy
    const a =
      c.kind === 'edit-on-deleted-row'
        ? props.removalOf.row(c.sheetId, c.rowId, c.deletedAt)
        : props.removalOf.column(c.sheetId, c.colId, c.deletedAt)
    return removalAuthor(a, c.deletedBy)
  }
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
                      by: lostAuthor(c),
                      at: formatTime(c.lost.at),
                      value: valueText(sheet(), c.colId, c.lost.value),
                    })}
                  </div>
                  <AttestNote attest={lostAttest(c)} />
                  {c.kind !== 'concurrent-edit' ? (
                    <div class="muted">
                      {t('conflict.deletedBy', { by: deleter(c), at: formatTime(c.deletedAt) })}
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

/** Beside a losing value: 待服务器确认, relayed, or both times of an offline edit (issue 13 §4). */
function AttestNote(props: { attest: EditAttestation }) {
  const a = () => props.attest
  return (
    <Show when={a().status !== 'attested' || (a().status === 'attested' && bothTimes(a()))}>
      <div class="muted" data-testid="conflict-attest" data-status={a().status}>
        {noteText(a())}
      </div>
    </Show>
  )
}

const bothTimes = (a: EditAttestation) => a.status === 'attested' && a.bothTimes

function noteText(a: EditAttestation): string {
  if (a.status === 'pending') return t('attest.pending')
  if (a.status === 'relayed') return t('attest.relayed', { via: a.via })
  return t('attest.bothTimes', { at: shortTime(a.at), received: shortTime(a.receivedAt) })
}
