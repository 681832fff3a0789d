import { createSignal, Show } from 'solid-js'
import { t } from '../i18n'
import { checkShareDays, SHARE_MAX_DAYS, shareErrorMessage } from './shareErrors'

/** Mints an editor or read-only link through the server's POST /api/share and copies it. */
export function ShareDialog(props: {
  workbookId: string
  token: string | null
  onClose: () => void
}) {
  const [role, setRole] = createSignal<'editor' | 'viewer'>('viewer')
  const [days, setDays] = createSignal(30)
  const [name, setName] = createSignal('')
  const [user, setUser] = createSignal('') // attestation: stable user id
  const [url, setUrl] = createSignal<string | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [copied, setCopied] = createSignal(false)

  const create = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setUrl(null)
    if (!navigator.onLine) {
      setError(t('share.offline'))
      return
    }
    const badDays = checkShareDays(days())
    if (badDays) {
      setError(badDays)
      return
    }
    const userId = user().trim()
    if (userId !== '' && !/^\S{1,128}$/u.test(userId)) {
      setError(t('share.err.user'))
      return
    }
    setBusy(true)
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (props.token) headers.authorization = `Bearer ${props.token}`
      const res = await fetch('/api/share', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          workbook: props.workbookId,
          role: role(),
          days: days(),
          name: name() || undefined,
          user: userId || undefined,
        }),
      })
      if (!res.ok) {
        setError(shareErrorMessage(res.status))
        return
      }
      const body = (await res.json()) as { url?: string; token?: string }
      const link =
        body.url ??
        `${location.origin}/#/w/${encodeURIComponent(props.workbookId)}?token=${encodeURIComponent(body.token ?? '')}`
      setUrl(link)
    } catch {
      // fetch rejects only when the request never got an answer.
      setError(t('share.err.network'))
    } finally {
      setBusy(false)
    }
  }

  const copy = async () => {
    const u = url()
    if (!u) return
    try {
      await navigator.clipboard.writeText(u)
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    } catch {
      // Clipboard refused (insecure context): the link is selectable in the field.
    }
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop click is a mouse shortcut; Escape and the Close button cover keyboards.
    <div
      class="modal-backdrop"
      role="presentation"
      onClick={(e) => e.target === e.currentTarget && props.onClose()}
      onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
    >
      {/* noValidate: our own zh/en message for bad days, not the browser's tooltip */}
      <form class="modal" noValidate onSubmit={(e) => void create(e)} data-testid="share-dialog">
        <h3>{t('share.title')}</h3>
        <p class="muted">{t('share.hint')}</p>
        <fieldset class="radio-row">
          <label>
            <input
              type="radio"
              name="role"
              checked={role() === 'editor'}
              onChange={() => setRole('editor')}
            />
            {t('share.editor')}
          </label>
          <label>
            <input
              type="radio"
              name="role"
              checked={role() === 'viewer'}
              onChange={() => setRole('viewer')}
            />
            {t('share.viewer')}
          </label>
        </fieldset>
        <label class="field">
          {t('share.days')}
          <input
            type="number"
            min="1"
            max={SHARE_MAX_DAYS}
            value={days()}
            onInput={(e) => setDays(Number(e.currentTarget.value))}
          />
        </label>
        <label class="field">
          {t('share.name')}
          <input
            type="text"
            maxLength={40}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          {t('share.user')}
          <input
            type="text"
            maxLength={128}
            data-testid="share-user"
            value={user()}
            onInput={(e) => setUser(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <p class="error" data-testid="share-error">
            {error()}
          </p>
        </Show>
        <Show when={url()}>
          <div class="share-url">
            <input
              type="text"
              readOnly
              value={url() ?? ''}
              data-testid="share-url"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" class="btn" onClick={() => void copy()}>
              {copied() ? t('common.copied') : t('common.copy')}
            </button>
          </div>
        </Show>
        <div class="modal-actions">
          <button type="button" class="btn" onClick={() => props.onClose()}>
            {t('common.close')}
          </button>
          <button type="submit" class="btn primary" disabled={busy()}>
            {t('share.create')}
          </button>
        </div>
      </form>
    </div>
  )
}
