import {
  type CompletenessSettings,
  formatPeriod,
  periodLockState,
  readAutoLock,
  readLockException,
  readLockRecord,
  type StationInfo,
  setAutoLock,
  setLockException,
  setPeriodLock,
} from '@taizhang/shared'
import { createSignal, For, Show } from 'solid-js'
import { locale } from '../../i18n'
import type { AccessSession } from './createAccessSession'
import { formatWhen, ta } from './text'

/** Longest auto-lock delay offered (ten years): a typo of 36500 is refused, not stored. */
const MAX_AUTO_LOCK_DAYS = 3650

/** Reads the auto-lock field: a whole number of days, empty for none; undefined when invalid. */
export function parseAutoLockDays(text: string): { days: number | null } | undefined {
  const t = text.trim()
  if (t === '') return { days: null }
  if (!/^\d+$/.test(t)) return undefined
  const n = Number(t)
  return n <= MAX_AUTO_LOCK_DAYS ? { days: n } : undefined
}

/**
 * Period locks of one periodic sheet (issue 16 §1), under its completeness matrix: each period's
 * state (open, locked by whom and when, or auto-locked), 锁定本期 / 重新开放 for approvers and
 * owners, the auto-lock setting, and lock exceptions per station for a period.
 */
export function PeriodLocks(props: {
  access: AccessSession
  settings: CompletenessSettings
  periods: readonly string[]
  stations: readonly StationInfo[]
}) {
  const wb = props.access.workbook
  const sheetId = () => props.settings.sheetId
  const canLock = () => props.access.canLock(sheetId())
  const me = () => props.access.gate.identity.name
  const lang = () => (locale() === 'en' ? 'iso' : 'zh')
  const live = <T,>(fn: () => T) => props.access.live(fn)
  const [picked, setPicked] = createSignal<string | null>(null)
  const [autoText, setAutoText] = createSignal(
    String(readAutoLock(wb, props.settings.sheetId)?.days ?? ''),
  )
  const [autoError, setAutoError] = createSignal(false)
  const [station, setStation] = createSignal('')

  const state = (period: string) =>
    live(() => periodLockState(wb, sheetId(), period, null, Date.now()))
  const statusText = (period: string) =>
    live(() => {
      const s = state(period)
      if (s.locked) {
        return ta('lockedBy', { who: s.auto ? ta('autoLocker') : s.by, when: formatWhen(s.at) })
      }
      const rec = readLockRecord(wb, sheetId(), period)
      return rec ? ta('reopenedBy', { who: rec.by, when: formatWhen(rec.at) }) : ta('open')
    })
  const exceptions = (period: string) =>
    live(() =>
      props.stations
        .map((st) => ({ st, ex: readLockException(wb, sheetId(), period, st.id) }))
        .filter((x) => x.ex !== undefined),
    )

  const saveAuto = () => {
    const parsed = parseAutoLockDays(autoText())
    if (!parsed) {
      setAutoError(true)
      return
    }
    setAutoError(false)
    setAutoLock(wb, sheetId(), parsed.days === null ? undefined : { days: parsed.days })
  }

  return (
    <section class="access-locks" data-testid="period-locks">
      <h4>{ta('locksTitle')}</h4>
      <div class="rep-scroll">
        <table class="rep-table">
          <thead>
            <tr>
              <th>{ta('period')}</th>
              <th>{ta('status')}</th>
              <Show when={canLock()}>
                <th />
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={props.periods}>
              {(p) => (
                <tr data-period={p} data-locked={state(p).locked ? '1' : '0'}>
                  <th>
                    <button type="button" class="st-btn" onClick={() => setPicked(p)}>
                      {formatPeriod(p, lang())}
                    </button>
                  </th>
                  <td data-testid="period-lock-status">
                    {statusText(p)}
                    <Show when={exceptions(p).length > 0}>
                      <span class="muted">
                        {' · '}
                        {exceptions(p)
                          .map((x) => x.st.label)
                          .join('、')}
                      </span>
                    </Show>
                  </td>
                  <Show when={canLock()}>
                    <td>
                      <Show
                        when={state(p).locked}
                        fallback={
                          <button
                            type="button"
                            class="btn"
                            data-testid="period-lock"
                            onClick={() =>
                              setPeriodLock(wb, sheetId(), p, {
                                locked: true,
                                by: me(),
                                at: Date.now(),
                              })
                            }
                          >
                            {ta('lockPeriod')}
                          </button>
                        }
                      >
                        <button
                          type="button"
                          class="btn"
                          data-testid="period-reopen"
                          onClick={() =>
                            setPeriodLock(wb, sheetId(), p, {
                              locked: false,
                              by: me(),
                              at: Date.now(),
                            })
                          }
                        >
                          {ta('reopen')}
                        </button>
                      </Show>
                      <button
                        type="button"
                        class="btn"
                        data-testid="period-exceptions"
                        onClick={() => setPicked(p)}
                      >
                        {ta('exceptionsButton')}
                      </button>
                    </td>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={picked()}>
        {(p) => (
          <div class="access-exceptions" data-testid="lock-exceptions">
            <strong>
              {formatPeriod(p(), lang())} · {ta('exceptions')}
            </strong>
            <ul>
              <For each={exceptions(p())}>
                {(x) => (
                  <li>
                    {x.st.label}{' '}
                    <span class="muted">
                      {ta('exceptionBy', { who: x.ex!.by, when: formatWhen(x.ex!.at) })}
                    </span>
                    <Show when={canLock()}>
                      <button
                        type="button"
                        class="btn"
                        onClick={() => setLockException(wb, sheetId(), p(), x.st.id, undefined)}
                      >
                        {ta('removeException')}
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
            <Show when={canLock()}>
              <select
                value={station()}
                data-testid="lock-exception-station"
                onChange={(e) => setStation(e.currentTarget.value)}
              >
                <option value="">{ta('pickStation')}</option>
                <For each={props.stations}>{(st) => <option value={st.id}>{st.label}</option>}</For>
              </select>
              <button
                type="button"
                class="btn"
                disabled={station() === ''}
                data-testid="lock-exception-add"
                onClick={() => {
                  setLockException(wb, sheetId(), p(), station(), { by: me(), at: Date.now() })
                  setStation('')
                }}
              >
                {ta('addException')}
              </button>
            </Show>
            <button type="button" class="btn" onClick={() => setPicked(null)}>
              {ta('close')}
            </button>
          </div>
        )}
      </Show>
      <Show when={canLock()}>
        <div class="access-autolock">
          <label class="field">
            {ta('autoLock')}
            <input
              type="text"
              inputMode="numeric"
              value={autoText()}
              placeholder={ta('autoLockOff')}
              data-testid="auto-lock-days"
              onInput={(e) => setAutoText(e.currentTarget.value)}
            />
          </label>
          <button type="button" class="btn" data-testid="auto-lock-save" onClick={saveAuto}>
            {ta('autoLockSet')}
          </button>
          <Show when={autoError()}>
            <p class="error" role="alert">
              {ta('errAutoLock')}
            </p>
          </Show>
        </div>
      </Show>
    </section>
  )
}
