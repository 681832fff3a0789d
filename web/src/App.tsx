import { createSignal, Match, onMount, Show, Switch } from 'solid-js'
import { type Identity, loadIdentity, saveIdentity } from './app/identity'
import { navigate, route } from './app/route'
import { absorbShareLink } from './app/shareLinks'
import { Home } from './home/Home'
import { locale, setLocale, t } from './i18n'
import { WorkbookView } from './workbook/WorkbookView'

/** Asks for the collaborator name once; remembered in localStorage. */
function NamePrompt(props: { initial: string; onDone: (name: string) => void }) {
  const [name, setName] = createSignal(props.initial)
  return (
    <div class="modal-backdrop">
      <form
        class="modal"
        data-testid="name-prompt"
        onSubmit={(e) => {
          e.preventDefault()
          if (name().trim()) props.onDone(name())
        }}
      >
        <h3>{t('presence.askName')}</h3>
        <input
          type="text"
          maxLength={40}
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          ref={(el) => queueMicrotask(() => el.focus())}
        />
        <div class="modal-actions">
          <button type="submit" class="btn primary">
            {t('common.ok')}
          </button>
        </div>
      </form>
    </div>
  )
}

export function App(props: {
  offlineReady: () => boolean
  needRefresh: () => boolean
  reload: () => void
}) {
  const [identity, setIdentity] = createSignal<Identity | null>(loadIdentity())
  const [ready, setReady] = createSignal(false)
  const [askName, setAskName] = createSignal(false)
  onMount(() => {
    document.documentElement.lang = locale()
    let id: string | null = null
    try {
      id = absorbShareLink(location.href)
    } catch {
      // A malformed link opens the app as if there were none.
    }
    if (id) navigate({ page: 'workbook', id })
    setReady(true)
  })
  const ensureIdentity = () => identity() ?? null

  return (
    <div class="app">
      <header class="app-header">
        <a href="#/" class="brand">
          <img src="/icon.svg" alt="" width="22" height="22" />
          {t('app.name')}
        </a>
        <span class="muted tagline">{t('app.tagline')}</span>
        <span class="spacer" />
        <Show when={identity()}>
          {(me) => (
            <button
              type="button"
              class="btn ghost small"
              onClick={() => setAskName(true)}
              title={t('presence.rename')}
            >
              {me().name}
            </button>
          )}
        </Show>
        <button
          type="button"
          class="btn ghost small"
          data-testid="lang-switch"
          onClick={() => setLocale(locale() === 'en' ? 'zh-CN' : 'en')}
          aria-label={t('app.language')}
        >
          {t('app.switchTo')}
        </button>
      </header>
      <Show when={props.needRefresh()}>
        <div class="banner info">
          {t('app.updateReady')}{' '}
          <button type="button" class="btn small" onClick={() => props.reload()}>
            {t('app.reload')}
          </button>
        </div>
      </Show>
      <Show when={ready()}>
        <Switch>
          <Match when={route().page === 'home'}>
            <Home />
          </Match>
          <Match when={route().page === 'workbook' && ensureIdentity()}>
            {(me) => (
              <Show when={(route() as { id: string }).id} keyed>
                {(id) => <WorkbookView id={id} identity={me()} />}
              </Show>
            )}
          </Match>
        </Switch>
      </Show>
      <Show when={ready() && (askName() || (route().page === 'workbook' && !identity()))}>
        <NamePrompt
          initial={
            identity()?.name ??
            t('presence.defaultName', { n: Math.floor(Math.random() * 90 + 10) })
          }
          onDone={(name) => {
            setIdentity(saveIdentity(name, identity()))
            setAskName(false)
          }}
        />
      </Show>
    </div>
  )
}
