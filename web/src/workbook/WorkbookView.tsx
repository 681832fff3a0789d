import { createResource, createSignal, onCleanup, Show } from 'solid-js'
import { afterFirstPaint } from '../app/afterPaint'
import type { Identity } from '../app/identity'
import { getWorkbookEntry, getWorkspaceToken, updateWorkbookEntry } from '../app/registry'
import { absorbedToken, linksStored } from '../app/shareLinks'
import type { FirstScreen } from '../doc/firstScreen'
import { openWorkbook } from '../doc/openWorkbook'
import { firstScreenOf, firstScreenSettled, prefetchDoc } from '../doc/prefetch'
import { takePendingCreate } from '../home/pendingCreate'
import { t } from '../i18n'
import { dropEarlyGrid, prepareEarlyGrid } from './earlyGrid'
import { FirstScreenView } from './FirstScreenView'
import { buildFirstScreen } from './firstScreenBuild'
import { OpenWorkbook } from './OpenWorkbook'

/** Opens the workbook's session for as long as this view lives. */
export function WorkbookView(props: { id: string; identity: Identity }) {
  const [session] = createResource(
    () => props.id,
    async (id) => {
      // The registry lookup runs alongside reading the doc (started at boot): the token is needed
      // only once the local data is in, to connect.
      const entryP = linksStored()
        .then(() => getWorkbookEntry(id))
        .catch(() => undefined)
      // A link opened just now carries the newest token (storing it in the registry is what
      // linksStored waits for): use it at once rather than wait for the registry's write and read,
      // whose IndexedDB callbacks queue behind the doc's load.
      const absorbed = absorbedToken(id)
      const tokenP = absorbed
        ? Promise.resolve(absorbed)
        : entryP.then((entry) => entry?.token ?? getWorkspaceToken())
      const create = takePendingCreate(id)
      // Started at boot when the page opened on this workbook (main.tsx); else now.
      prefetchDoc(id)
      const s = await openWorkbook({
        workbookId: id,
        token: tokenP,
        identity: props.identity,
        create,
        firstScreen: (wb) => buildFirstScreen(wb),
      })
      // Settled already: openWorkbook awaited it.
      const token = await tokenP
      // The home page's entry is not needed for the first paint: read and written after it.
      afterFirstPaint(() => {
        void entryP
          .then((entry) =>
            updateWorkbookEntry(id, {
              title: s.workbook.meta().title || entry?.title || '',
              lastOpened: Date.now(),
              token: entry?.token ?? token,
            }),
          )
          .catch(() => {})
      })
      // The first sheet's grid has taken the early grid by now, if it was made; else drop it.
      setTimeout(() => dropEarlyGrid(id), 0)
      return { s, token }
    },
  )
  onCleanup(() => {
    dropEarlyGrid(props.id)
    const s = session()?.s
    if (s) void s.destroy()
  })
  // The first-screen cache read with the records (doc/firstScreen.ts): shown while they are
  // applied if it is exact. Read by the resource's prefetchDoc call above.
  const screenRead = firstScreenOf(props.id)
  const [screen, setScreen] = createSignal<FirstScreen | null>(null)
  void screenRead?.then((s) => {
    if (s && !session() && !session.error) setScreen(s)
    else firstScreenSettled(props.id)
  })
  return (
    <Show
      when={session()}
      fallback={
        <Show
          when={!session.error && screen()}
          fallback={
            <div class="workbook">
              <div class="loading" data-testid="loading">
                <Show when={session.error} fallback={t('wb.loading')}>
                  {t('warn.loadFailed', { reason: String(session.error) })}
                </Show>
              </div>
              {/* The grid is created (empty, hidden) here while the workbook is read: earlyGrid.ts */}
              <div class="wb-body">
                <div class="grid-area">
                  <div class="grid-host" ref={(el) => prepareEarlyGrid(props.id, el, screenRead)} />
                </div>
              </div>
            </div>
          }
        >
          {(s) => <FirstScreenView workbookId={props.id} screen={s()} />}
        </Show>
      }
    >
      {(loaded) => (
        <OpenWorkbook session={loaded().s} token={loaded().token} identity={props.identity} />
      )}
    </Show>
  )
}
