import { Match, Show, Switch } from 'solid-js'
import { formatTime, t } from '../i18n'
import { type EditAttestation, shortTime } from './attested'

/**
 * Who made a history entry and when, as the server vouches for it (issue 13 §4):
 * - attested: the name from the author's token (the self-chosen name only as a note when it
 *   differs), and both the device time and the server's receive time when they differ
 *   meaningfully ("离线时 5月6日 09:12 修改，5月6日 14:30 同步");
 * - relayed: the self-chosen name, marked as delivered by another user and not vouched for;
 * - pending: the self-chosen name and device time, marked 待服务器确认.
 */
export function AuthorLine(props: { by: string | null; attest: EditAttestation }) {
  const claimed = () => props.by ?? t('history.unknownAuthor')
  return (
    <Switch>
      <Match when={props.attest.status === 'attested' && props.attest}>
        {(a) => (
          <>
            <span
              class="attest-name"
              data-testid="attest-author"
              data-status="attested"
              title={t('attest.vouched', {
                name: a().name,
                user: a().user,
                time: formatTime(a().receivedAt),
              })}
            >
              ✓ {a().name}
            </span>
            <Show when={props.by !== null && props.by !== a().name}>
              <span class="muted" data-testid="attest-claimed">
                {' '}
                {t('attest.claimed', { by: claimed() })}
              </span>
            </Show>
            {' · '}
            <Show
              when={a().bothTimes}
              fallback={<span data-testid="attest-time">{formatTime(a().at)}</span>}
            >
              <span data-testid="attest-times">
                {t('attest.bothTimes', {
                  at: shortTime(a().at),
                  received: shortTime(a().receivedAt),
                })}
              </span>
            </Show>
          </>
        )}
      </Match>
      <Match when={props.attest.status === 'relayed' && props.attest}>
        {(a) => (
          <>
            {claimed()} · {formatTime(a().at)}{' '}
            <span class="history-badge warn" data-testid="attest-relayed">
              {t('attest.relayed', { via: a().via })}
            </span>
          </>
        )}
      </Match>
      <Match when={props.attest.status === 'pending'}>
        {claimed()} · {formatTime(props.attest.at)}{' '}
        <span class="history-badge pending" data-testid="attest-pending">
          {t('attest.pending')}
        </span>
      </Match>
    </Switch>
  )
}
