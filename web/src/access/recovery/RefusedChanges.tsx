/**
 * The toolbar's 未被接受的修改 (issue 16 §3): a button (moved into 更多 when the row is full, with
 * the count when the list is not empty), a toast while the list is not empty, the list's dialog
 * (what, where, why; 导出 CSV; 重新应用 per entry and for all), and the recovery that runs when the
 * server refuses an update of this device (recover.ts), shown as a blocking notice until the page
 * reloads onto the rebuilt doc.
 */
import {
  createAccessChecker,
  displayCell,
  type RefusedEdit,
  reapplyRefused,
  refusedMessage,
} from '@taizhang/shared'
import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js'
import type { ToolbarExtensionProps } from '../../app/toolbarExtensions'
import { formatTime, locale, t } from '../../i18n'
import { dialogKeys } from '../../workbook/dialogKeys'
import { RecoveryError, recoverSession } from './recover'
import { exportRefusedCsv } from './refusedCsv'
import { refusedList, saveRefused } from './refusedStore'
import { identityFromToken } from './tokenIdentity'

const LOOP_MAX = 3
const LOOP_MS = 120_000

/** Rebuilds of this workbook in the last LOOP_MS in this tab, counting the one about to start. */
function recentRecoveries(workbookId: string): number {
  const key = `taizhang.recoveries.${workbookId}`
  try {
    const now = Date.now()
    const raw: unknown = JSON.parse(sessionStorage.getItem(key) ?? '[]')
    const times = (Array.isArray(raw) ? raw : []).filter(
      (x): x is number => typeof x === 'number' && now - x < LOOP_MS,
    )
    if (times.length < LOOP_MAX) sessionStorage.setItem(key, JSON.stringify([...times, now]))
    return times.length
  } catch {
    return 0
  }
}

/** Automatic retries of a recovery whose server fetch failed (then the 重试 button). */
const AUTO_RETRIES = 3
const RETRY_MS = 3000

export function RefusedChanges(props: ToolbarExtensionProps) {
  const list = refusedList(props.session.id)
  const [open, setOpen] = createSignal(false)
  const [note, setNote] = createSignal('')
  const [recovering, setRecovering] = createSignal<'idle' | 'running' | { error: string }>('idle')
  let tries = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => clearTimeout(retryTimer))

  const recover = () => {
    if (recovering() === 'running') return
    setRecovering('running')
    tries++
    recoverSession(props.session).then(
      () => location.reload(),
      (e: unknown) => {
        if (e instanceof RecoveryError && e.tornDown) {
          // The stored doc is the old one: reopening it meets the refusal again and retries.
          location.reload()
          return
        }
        setRecovering({ error: e instanceof Error ? e.message : String(e) })
        if (tries < AUTO_RETRIES) retryTimer = setTimeout(recover, RETRY_MS)
      },
    )
  }
  createEffect(() => {
    if (!props.session.refusal() || recovering() !== 'idle') return
    // A doc that is refused again right after each rebuild (something this device writes on open
    // is refused) must not reload forever: after LOOP_MAX rebuilds in LOOP_MS, ask the user.
    if (recentRecoveries(props.session.id) >= LOOP_MAX) {
      setRecovering({ error: t('refused.loop') })
      return
    }
    recover()
  })

  const reapply = (entries: readonly RefusedEdit[]) => {
    const wb = props.session.workbook
    const who = identityFromToken(
      props.session.provider?.params.token,
      props.session.workbook.author().name,
    )
    const checker = createAccessChecker(wb)
    const now = Date.now()
    const done = new Set<string>()
    const again = new Map<string, RefusedEdit>()
    try {
      for (const e of entries) {
        const r = reapplyRefused(wb, checker, who, e, now)
        if (r.ok) done.add(e.id)
        else {
          const next: RefusedEdit = { ...e, reason: r.reason, message: r.message, at: now }
          if (r.lock) next.lock = r.lock
          else delete next.lock
          again.set(e.id, next)
        }
      }
    } finally {
      checker.dispose()
    }
    const next = list()
      .filter((e) => !done.has(e.id))
      .map((e) => again.get(e.id) ?? e)
    void saveRefused(props.session.id, next)
    setNote(t('refused.reapplied', { ok: done.size, left: again.size }))
  }

  const remove = (id: string) =>
    void saveRefused(
      props.session.id,
      list().filter((e) => e.id !== id),
    )

  return (
    <>
      <button
        type="button"
        class="btn"
        data-testid="refused-open"
        data-count={list().length}
        classList={{ 'refused-has': list().length > 0 }}
        onClick={() => {
          setNote('')
          setOpen(true)
        }}
      >
        {list().length > 0 ? t('refused.buttonCount', { n: list().length }) : t('refused.button')}
      </button>
      <Show when={list().length > 0 && !open()}>
        <div class="refused-toast" role="status" data-testid="refused-toast">
          <span>{t('refused.toast', { n: list().length })}</span>
          <button type="button" class="btn" onClick={() => setOpen(true)}>
            {t('refused.view')}
          </button>
        </div>
      </Show>
      <Show when={recovering() !== 'idle'}>
        <div class="modal-backdrop" data-testid="refused-recovering">
          <div class="modal" role="alertdialog" aria-live="assertive">
            <Show
              when={(() => {
                const r = recovering()
                return typeof r === 'object' ? r : null
              })()}
              fallback={<p>{t('refused.recovering')}</p>}
            >
              {(r) => (
                <>
                  <p>{t('refused.recoverFailed', { error: r().error })}</p>
                  <div class="modal-actions">
                    <button
                      type="button"
                      class="btn primary"
                      onClick={() => {
                        clearTimeout(retryTimer)
                        recover()
                      }}
                    >
                      {t('refused.retry')}
                    </button>
                  </div>
                </>
              )}
            </Show>
          </div>
        </div>
      </Show>
      <Show when={open()}>
        <div class="modal-backdrop">
          <div
            class="modal refused-dialog"
            role="dialog"
            aria-modal="true"
            data-testid="refused-dialog"
            // Called as the dialog is made: its Escape/focus handling ends with this Show branch.
            ref={(el) => dialogKeys(() => setOpen(false))(el)}
          >
            <h3>{t('refused.title')}</h3>
            <p class="refused-intro">{t('refused.intro')}</p>
            <Show
              when={list().length > 0}
              fallback={<p data-testid="refused-empty">{t('refused.empty')}</p>}
            >
              <div class="refused-table-wrap">
                <table class="refused-table">
                  <thead>
                    <tr>
                      <th>{t('refused.colSheet')}</th>
                      <th>{t('refused.colRow')}</th>
                      <th>{t('refused.colColumn')}</th>
                      <th>{t('refused.colOld')}</th>
                      <th>{t('refused.colNew')}</th>
                      <th>{t('refused.colWhy')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(e) => {
                        const text = describeRefused(props, e)
                        return (
                          <tr data-testid="refused-item" data-reason={e.reason}>
                            <td>{text.sheet}</td>
                            <td>{text.row}</td>
                            <td>{text.column}</td>
                            <td>{text.old}</td>
                            <td>{text.new}</td>
                            <td title={formatTime(e.at)}>{text.why}</td>
                            <td class="refused-actions">
                              <button
                                type="button"
                                class="btn"
                                data-testid="refused-reapply"
                                disabled={props.session.readOnly()}
                                onClick={() => reapply([e])}
                              >
                                {t('refused.reapply')}
                              </button>
                              <button type="button" class="btn" onClick={() => remove(e.id)}>
                                {t('refused.remove')}
                              </button>
                            </td>
                          </tr>
                        )
                      }}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
            <Show when={note()}>
              <p class="refused-note" data-testid="refused-note">
                {note()}
              </p>
            </Show>
            <div class="modal-actions">
              <button
                type="button"
                class="btn"
                data-testid="refused-export"
                disabled={list().length === 0}
                onClick={() =>
                  exportRefusedCsv(
                    list().map((e) => ({ e, text: describeRefused(props, e) })),
                    props.session.workbook.meta().title,
                  )
                }
              >
                {t('refused.exportCsv')}
              </button>
              <button
                type="button"
                class="btn primary"
                data-testid="refused-reapply-all"
                disabled={list().length === 0 || props.session.readOnly()}
                onClick={() => reapply(list())}
              >
                {t('refused.reapplyAll')}
              </button>
              <button type="button" class="btn" onClick={() => setOpen(false)}>
                {t('refused.close')}
              </button>
            </div>
          </div>
        </div>
      </Show>
    </>
  )
}

export interface RefusedText {
  sheet: string
  row: string
  column: string
  old: string
  new: string
  why: string
}

const show = (v: unknown) => (v === null || v === undefined ? '' : String(v))

/** An entry as people read it, in the current language. */
export function describeRefused(props: ToolbarExtensionProps, e: RefusedEdit): RefusedText {
  const wb = props.session.workbook
  const sheet = e.sheetId && wb.hasSheet(e.sheetId) ? wb.sheet(e.sheetId) : null
  const rowParts: string[] = []
  if (e.kind === 'row-insert') rowParts.push(t('refused.rowNew'))
  else if (e.row?.index !== undefined) rowParts.push(t('refused.row', { n: e.row.index }))
  if (e.row?.station) rowParts.push(e.row.station)
  if (e.row?.period) rowParts.push(e.row.period)
  const cell = (v: unknown) =>
    e.sheetId && e.colId && sheet ? show(displayCell(wb, e.sheetId, e.colId, v as never)) : show(v)
  const kindText: Partial<Record<RefusedEdit['kind'], string>> = {
    'row-insert': t('refused.kindInsert'),
    'row-delete': t('refused.kindDelete'),
    'row-move': t('refused.kindMove'),
    structure: t('refused.kindStructure'),
    rules: t('refused.kindRules'),
    lock: t('refused.kindLock'),
    definition: t('refused.kindDefinition'),
    unresolved: t('refused.kindUnresolved'),
  }
  const message = e.message ?? refusedMessage(e.reason)
  let why = locale() === 'en' ? message.en : message.zh
  if (e.lock) {
    const lock = e.lock.auto
      ? t('refused.autoLocked')
      : t('refused.lockedBy', { by: e.lock.by, at: formatTime(e.lock.at) })
    why = t('refused.whyLock', { why, lock })
  }
  let added = ''
  if (e.kind === 'row-insert' && e.values && sheet) {
    added = Object.entries(e.values)
      .map(
        ([c, v]) =>
          `${sheet.column(c)?.name ?? c}=${show(displayCell(wb, e.sheetId as string, c, v))}`,
      )
      .join(', ')
  }
  return {
    sheet: e.sheetName ?? sheet?.name ?? '',
    row: rowParts.join(' · '),
    column: e.colName ?? (e.colId && sheet ? (sheet.column(e.colId)?.name ?? '') : ''),
    old: e.kind === 'cell' ? cell(e.oldValue) : '',
    new:
      e.kind === 'cell'
        ? cell(e.newValue)
        : [kindText[e.kind] ?? '', added].filter(Boolean).join(': '),
    why,
  }
}
