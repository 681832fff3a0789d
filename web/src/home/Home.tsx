import { createDemoWorkbook } from '@taizhang/shared'
import { createResource, createSignal, For, Show } from 'solid-js'
import { randomId } from '../app/identity'
import {
  getWorkspaceToken,
  listWorkbooks,
  removeWorkbookEntry,
  updateWorkbookEntry,
  type WorkbookEntry,
} from '../app/registry'
import { navigate } from '../app/route'
import { linksStored, storeLink } from '../app/shareLinks'
import { deleteLocalDoc } from '../doc/IdbPersistence'
import { parseShareLink } from '../doc/token'
import { formatTime, t } from '../i18n'
import { fillBlankWorkbook } from './blankSheet'
import { setPendingCreate } from './pendingCreate'
import { fetchServerWorkbooks, type HomeRow, mergeWorkbookLists } from './serverList'

/** This device's workbooks merged with the server's (`GET /api/workbooks`), and whether it answered. */
async function loadRows(): Promise<{ rows: HomeRow[]; serverUnknown: boolean }> {
  // A link opened just now (the owner's `*` link on a fresh device) must be stored first: its
  // token is what lists the server's workbooks.
  await linksStored()
  const local = await listWorkbooks()
  const workspace = getWorkspaceToken()
  const server = await fetchServerWorkbooks(location.origin, workspace, local)
  const hadToken = !!workspace || local.some((e) => e.token)
  return { rows: mergeWorkbookLists(local, server), serverUnknown: hadToken && server === null }
}

export function Home() {
  const [list, { refetch }] = createResource(loadRows)
  const rows = () => list()?.rows ?? []
  const [link, setLink] = createSignal('')
  const [linkError, setLinkError] = createSignal(false)

  const create = (demo: boolean) => {
    const id = randomId(16)
    const title = demo ? t('home.demoTitle') : t('home.untitled')
    // Nothing is written until the workbook view takes the request (after the name prompt, if
    // any): leaving at the prompt leaves no empty "未命名台账" behind.
    // A blank workbook opens on one sheet with typed columns, ready to type into (issue #12).
    setPendingCreate(id, {
      title,
      demo,
      fill: demo ? (wb) => createDemoWorkbook(wb) : fillBlankWorkbook,
    })
    navigate({ page: 'workbook', id })
  }

  const openLink = async (e: Event) => {
    e.preventDefault()
    const parsed = parseShareLink(link().trim())
    if (!parsed?.workbookId || parsed.workbookId === '*') {
      if (parsed?.token) {
        await storeLink(null, parsed.token)
        setLink('')
        await refetch()
        return
      }
      setLinkError(true)
      return
    }
    if (parsed.token) await storeLink(parsed.workbookId, parsed.token)
    else await updateWorkbookEntry(parsed.workbookId, { lastOpened: Date.now() })
    navigate({ page: 'workbook', id: parsed.workbookId })
  }

  /** Opens a workbook; one only on the server is first registered here with its title and role. */
  const open = async (e: MouseEvent, row: HomeRow) => {
    if (row.where !== 'server' || !row.server) return
    e.preventDefault()
    const remote = row.server
    try {
      await updateWorkbookEntry(row.id, {
        title: remote.title,
        role: remote.role,
        lastOpened: Date.now(),
        // The workspace token covers it already; a single-workbook token must be remembered.
        ...(remote.token !== getWorkspaceToken() ? { token: remote.token } : {}),
      })
    } catch {
      // The registry is only the home page's list: the workbook opens with the workspace token.
    }
    navigate({ page: 'workbook', id: row.id })
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
          onClick={() => create(false)}
        >
          {t('home.newEmpty')}
        </button>
        <button type="button" class="btn" data-testid="new-demo" onClick={() => create(true)}>
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
      <h2>{t('home.titleAll')}</h2>
      <Show when={list()?.serverUnknown}>
        <p class="muted" data-testid="server-unknown">
          {t('home.serverUnknown')}
        </p>
      </Show>
      <Show
        when={rows().length > 0}
        fallback={
          <Show when={!list.loading}>
            <p class="muted" data-testid="wb-empty">
              {list()?.serverUnknown ? t('home.empty') : t('home.emptyAll')}
            </p>
          </Show>
        }
      >
        <ul class="wb-list" data-testid="wb-list">
          <For each={rows()}>{(row) => <HomeItem row={row} open={open} remove={remove} />}</For>
        </ul>
      </Show>
    </main>
  )
}

function HomeItem(props: {
  row: HomeRow
  open: (e: MouseEvent, row: HomeRow) => void
  remove: (entry: WorkbookEntry) => void
}) {
  const row = () => props.row
  const entry = () => props.row.local
  return (
    <li class="wb-item" data-testid="wb-item" data-id={row().id} data-where={row().where}>
      <a
        href={`#/w/${encodeURIComponent(row().id)}`}
        class="wb-title"
        onClick={(e) => void props.open(e, row())}
      >
        {row().title || t('home.untitled')}
      </a>
      <Show when={row().role === 'viewer'}>
        <span class="chip">{t('home.readOnly')}</span>
      </Show>
      <Show when={row().where === 'server'}>
        <span class="chip where-server" title={t('home.onlyServerHint')}>
          {t('home.onlyServer')}
        </span>
      </Show>
      <Show when={row().where === 'device'}>
        <span class="chip warn" title={t('home.onlyDeviceHint')}>
          {t('home.onlyDevice')}
        </span>
      </Show>
      <Show
        when={entry()}
        fallback={
          <span class="muted">
            {t('home.updated', { time: formatTime(row().server?.updatedAt ?? 0) })}
          </span>
        }
      >
        {(e) => (
          <>
            <span class="muted">
              {t('home.lastOpened', {
                time: e().lastOpened ? formatTime(e().lastOpened) : t('home.never'),
              })}
            </span>
            {/* "This device only" is already said by the where-chip when the server answered. */}
            <Show when={e().pending || e().everSynced || row().where !== 'device'}>
              <span class={`chip ${e().pending ? 'warn' : e().everSynced ? 'ok' : ''}`}>
                {e().pending
                  ? t('home.pending', { n: e().pending ?? 0 })
                  : e().everSynced
                    ? t('home.synced')
                    : t('home.localOnly')}
              </span>
            </Show>
            <button type="button" class="btn small danger" onClick={() => void props.remove(e())}>
              {t('home.delete')}
            </button>
          </>
        )}
      </Show>
    </li>
  )
}
