import type { Role } from '@taizhang/shared'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { mayNameUser, shareableRoles } from '../access/share/shareRoles'
import type { AccessSession } from '../access/ui'
import { districtsOf, workbookStations } from '../access/ui/stations'
import { roleLabel, ta } from '../access/ui/text'
import { readTokenClaims } from '../doc/token'
import { t } from '../i18n'
import { dialogKeys } from './dialogKeys'
import { checkShareDays, SHARE_MAX_DAYS, shareErrorMessage } from './shareErrors'

/**
 * Mints a link through the server's POST /api/share and copies it: any role (issue 16: 所有者,
 * 审核人, 编辑者, 限定编辑者, 查看者); a scoped editor's link names its station or district,
 * picked from the workbook's stations (or typed when none are set up).
 */
export function ShareDialog(props: {
  workbookId: string
  token: string | null
  /** The open workbook's access (its stations for a scope). */
  access?: AccessSession
  onClose: () => void
}) {
  // access-client (issue 16 §1): only the roles the server lets this token mint (an editor: no
  // owner or approver links)
  const claims = props.token ? readTokenClaims(props.token) : null
  const offeredRoles = shareableRoles(claims)
  // attestation (issue 13 §4): only an owner names the recipient's user id (the server refuses it
  // from anyone else)
  const namesUser = mayNameUser(claims)
  const keys = dialogKeys(() => props.onClose())
  const [role, setRole] = createSignal<Role>('viewer')
  const [scopeKind, setScopeKind] = createSignal<'station' | 'district'>('station')
  const [scopeValue, setScopeValue] = createSignal('')
  const stations = createMemo(() =>
    props.access ? props.access.live(() => workbookStations(props.access!.workbook)) : [],
  )
  const districts = createMemo(() => districtsOf(stations()))
  const choices = () => (scopeKind() === 'station' ? stations().map((s) => s.label) : districts())
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
    const scopeText = scopeValue().trim()
    if (role() === 'scoped-editor' && scopeText === '') {
      setError(ta('errScope'))
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
          user: namesUser ? userId || undefined : undefined,
          scope: role() === 'scoped-editor' ? { [scopeKind()]: scopeText } : undefined,
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
    >
      {/* noValidate: our own zh/en message for bad days, not the browser's tooltip */}
      <form
        class="modal"
        ref={keys}
        noValidate
        onSubmit={(e) => void create(e)}
        data-testid="share-dialog"
      >
        <h3>{t('share.title')}</h3>
        <p class="muted">{t('share.hint')}</p>
        <fieldset class="radio-row share-roles">
          <For each={offeredRoles}>
            {(r) => (
              <label>
                <input
                  type="radio"
                  name="role"
                  value={r}
                  data-testid={`share-role-${r}`}
                  checked={role() === r}
                  onChange={() => setRole(r)}
                />
                {roleLabel(r)}
              </label>
            )}
          </For>
        </fieldset>
        <Show when={role() === 'scoped-editor'}>
          <div class="share-scope" data-testid="share-scope">
            <span>{ta('scope')}</span>
            <select
              value={scopeKind()}
              data-testid="share-scope-kind"
              onChange={(e) => {
                setScopeKind(e.currentTarget.value as 'station' | 'district')
                setScopeValue('')
              }}
            >
              <option value="station">{ta('scopeStation')}</option>
              <option value="district">{ta('scopeDistrict')}</option>
            </select>
            <Show
              when={choices().length > 0}
              fallback={
                <input
                  type="text"
                  maxLength={200}
                  data-testid="share-scope-value"
                  value={scopeValue()}
                  title={ta('noStations')}
                  placeholder={ta('noStations')}
                  onInput={(e) => setScopeValue(e.currentTarget.value)}
                />
              }
            >
              <select
                value={scopeValue()}
                data-testid="share-scope-value"
                onChange={(e) => setScopeValue(e.currentTarget.value)}
              >
                <option value="">{ta('pickStation')}</option>
                <For each={choices()}>{(c) => <option value={c}>{c}</option>}</For>
              </select>
            </Show>
          </div>
        </Show>
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
        <Show when={namesUser}>
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
        </Show>
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
