import { Show } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'
import { type MessageKey, t } from '../i18n'

const LABEL: Record<string, MessageKey> = {
  offline: 'status.offline',
  connecting: 'status.connecting',
  syncing: 'status.syncing',
  synced: 'status.synced',
  unauthorized: 'status.unauthorized',
}

/** 离线 / 连接中 / 同步中 / 已同步, the count of changes not yet durable, and local save state. */
export function StatusBadge(props: { session: WorkbookSession }) {
  const state = () => props.session.connection()
  const pending = () => props.session.pending() ?? 0
  const local = () => props.session.localSave()
  const localText = () => {
    const l = local()
    if (l.state === 'saved') return t('status.savedLocal')
    if (l.state === 'saving' || l.state === 'loading') return t('status.savingLocal')
    if (l.quota) return t('warn.quota')
    return t('status.localError', { reason: l.error ?? '' })
  }
  return (
    <div class="status-badge-wrap">
      <span
        class={`status-badge s-${state()}`}
        data-testid="status-badge"
        data-state={state()}
        data-pending={pending()}
        title={pending() > 0 ? t('status.pending', { n: pending() }) : undefined}
      >
        <span class="dot" />
        {t(LABEL[state()] ?? 'status.offline')}
        <Show when={pending() > 0}>
          <span class="pending-count" data-testid="pending-count">
            {t('status.pendingShort', { n: pending() })}
          </span>
        </Show>
      </span>
      <span
        class={`local-save l-${local().state}`}
        data-testid="local-save"
        data-state={local().state}
        title={localText()}
      >
        {localText()}
      </span>
    </div>
  )
}
