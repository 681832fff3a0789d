import { createDemoWorkbook } from '@taizhang/shared'
import { createResource, createSignal, For, Show } from 'solid-js'
import { randomId } from '../app/identity'
import {
  listWorkbooks,
  removeWorkbookEntry,
  updateWorkbookEntry,
  type WorkbookEntry,
} from '../app/registry'
import { navigate } from '../app/route'
import { storeLink } from '../app/shareLinks'
import { deleteLocalDoc } from '../doc/IdbPersistence'
import { parseShareLink } from '../doc/token'
import { formatTime, t } from '../i18n'
import { setPendingCreate } from './pendingCreate'

export function Home() {
  const [entries, { refetch }] = createResource(listWorkbooks)
  const [link, setLink] = createSignal('')
  const [linkError, setLinkError] = createSignal(false)

  const create = async (demo: boolean) => {
    const id = randomId(16)
    const title = demo ? t('home.demoTitle') : t('home.untitled')
    setPendingCreate(id, { title, fill: demo ? (wb) => createDemoWorkbook(wb) : undefined })
    await updateWorkbookEntry(id, { title, createdAt: Date.now(), lastOpened: Date.now(), demo })
    navigate({ page: 'workbook', id })
  }

  const openLink = async (e: Event) => {
    e.preventDefault()
    const parsed = parseShareLink(link().trim())
    if (!parsed?.workbookId || parsed.workbookId === '*') {
      if (parsed?.token) {
        await storeLink(null, parsed.token)
        setLink('')
        return
      }
      setLinkError(true)
      return
    }
    if (parsed.token) await storeLink(parsed.workbookId, parsed.token)
    else await updateWorkbookEntry(parsed.workbookId, { lastOpened: Date.now() })
    navigate({ page: 'workbook', id: parsed.workbookId })
  }

  const remove = async (entry: WorkbookEntry) => {
    const title = entry.title || t('home.untitled')
    const n = entry.pending ?? 0
    const unsynced = n > 0 || (!entry.everSynced && entry.pending !== 0)
    const msg = unsynced
      ? t('home.confirmDeleteUnsynced', { title, n: Math.max(n, 1) })
      : `${t('home.confirmDelete', { title })}\n${t('home.confirmDeleteSynced')}`
    if (!confirm(msg)) return
    await deleteLocalDoc(entry.id)
    await removeWorkbookEntry(entry.id)
    try {
      for (const k of Object.keys(localStorage)) {
        if (k.startsWith(`taizhang.wb.${entry.id}.`)) localStorage.removeItem(k)
      }
    } catch {
      // Leftover markers are harmless once the doc is gone.
    }
    await refetch()
  }

  return (
    <main class="home">
      <section class="home-actions">
        <button
          type="button"
          class="btn primary"
          data-testid="new-empty"
          onClick={() => void create(false)}
        >
          {t('home.newEmpty')}
        </button>
        <button type="button" class="btn" data-testid="new-demo" onClick={() => void create(true)}>
          {t('home.newDemo')}
        </button>
        <form class="open-link" onSubmit={(e) => void openLink(e)}>
          <input
            type="url"
            aria-label={t('home.openLink')}
            placeholder={t('home.linkPlaceholder')}
            value={link()}
            onInput={(e) => {
              setLink(e.currentTarget.value)
              setLinkError(false)
            }}
          />
          <button type="submit" class="btn">
            {t('home.open')}
          </button>
          <Show when={linkError()}>
            <span class="error">{t('home.badLink')}</span>
          </Show>
        </form>
      </section>
      <h2>{t('home.title')}</h2>
      <Show when={(entries() ?? []).length > 0} fallback={<p class="muted">{t('home.empty')}</p>}>
        <ul class="wb-list" data-testid="wb-list">
          <For each={entries()}>
            {(entry) => (
              <li class="wb-item">
                <a href={`#/w/${encodeURIComponent(entry.id)}`} class="wb-title">
                  {entry.title || t('home.untitled')}
                </a>
                <Show when={entry.role === 'viewer'}>
                  <span class="chip">{t('home.readOnly')}</span>
                </Show>
                <span class="muted">
                  {t('home.lastOpened', {
                    time: entry.lastOpened ? formatTime(entry.lastOpened) : t('home.never'),
                  })}
                </span>
                <span class={`chip ${entry.pending ? 'warn' : entry.everSynced ? 'ok' : ''}`}>
                  {entry.pending
                    ? t('home.pending', { n: entry.pending })
                    : entry.everSynced
                      ? t('home.synced')
                      : t('home.localOnly')}
                </span>
                <button type="button" class="btn small danger" onClick={() => void remove(entry)}>
                  {t('home.delete')}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </main>
  )
}
