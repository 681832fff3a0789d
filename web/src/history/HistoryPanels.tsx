import { ROOT_ATTEST, type WorkbookConflict } from '@taizhang/shared'
import { createEffect, createMemo, createSignal, onCleanup, Show } from 'solid-js'
import { t } from '../i18n'
import type { WorkbookStore } from '../workbook/session/createWorkbookStore'
import { makeAttestLookup, makeRemovalLookup } from './attested'
import { CellHistoryPanel } from './CellHistoryPanel'
import { ConflictInbox } from './ConflictInbox'
import { makeConflictWatch } from './conflictWatch'
import { TrashPanel } from './TrashPanel'

/**
 * The workbook view's history UI (issue 13): the conflict inbox, the focused cell's history and
 * the trash as side panels, and the toast that tells a user at once when edits of theirs lost a
 * same-cell race ("你有 N 处修改…已被覆盖 — 查看", opening the inbox filtered to them).
 */
export function HistoryPanels(props: { store: WorkbookStore }) {
  const store = props.store
  const wb = store.session.workbook
  const { watch, release } = makeConflictWatch(wb)
  onCleanup(release)
  // attestation (issue 13 §4): the cell history re-reads when the server's records arrive or an
  // acknowledgement confirms edits of this device (neither is a model change).
  const [attestVersion, setAttestVersion] = createSignal(0)
  const bumpAttest = () => setAttestVersion((v) => v + 1)
  const attestMap = wb.doc.getMap(ROOT_ATTEST)
  attestMap.observe(bumpAttest)
  onCleanup(() => attestMap.unobserve(bumpAttest))
  onCleanup(store.session.unacked.onChange(bumpAttest))
  const attestOf = createMemo(() => {
    void attestVersion()
    void store.dataVersion()
    return makeAttestLookup(wb.doc, store.session.unacked)
  })
  const removalOf = createMemo(() => {
    void attestVersion()
    void store.dataVersion()
    return makeRemovalLookup(wb.doc, store.session.unacked)
  })
  const [mineOnly, setMineOnly] = createSignal(false)
  const [lostCount, setLostCount] = createSignal(0)
  // Conflicts already told about in this view: each loss of mine is announced once.
  const told = new Set<string>()
  const announce = (list: readonly WorkbookConflict[]) => {
    const me = wb.author().name
    let fresh = 0
    for (const c of list) {
      if (c.kind !== 'concurrent-edit' || c.lost.by !== me || told.has(c.id)) continue
      told.add(c.id)
      fresh++
    }
    if (fresh > 0) setLostCount(fresh)
  }
  onCleanup(watch.onChange(announce))
  announce(watch.unsettled())
  let hide: ReturnType<typeof setTimeout> | undefined
  createEffect(() => {
    if (lostCount() === 0) return
    clearTimeout(hide)
    hide = setTimeout(() => setLostCount(0), 15_000)
  })
  onCleanup(() => clearTimeout(hide))

  const jump = (c: WorkbookConflict) => {
    if (store.activeSheet() !== c.sheetId) store.setActiveSheet(c.sheetId)
    // The grid of another sheet mounts a task later: focus once it is there.
    setTimeout(() => store.grid()?.focusCell(c.rowId, c.colId), 0)
  }
  const close = () => store.setPanel(null)
  return (
    <>
      <Show when={store.panel() === 'conflicts'}>
        <ConflictInbox
          workbook={wb}
          conflicts={watch.unsettled()}
          readOnly={store.readOnly()}
          mineOnly={mineOnly()}
          setMineOnly={setMineOnly}
          onJump={jump}
          onClose={close}
          attestOf={attestOf()}
          removalOf={removalOf()}
        />
      </Show>
      <Show when={store.panel() === 'cellHistory'}>
        <CellHistoryPanel
          workbook={wb}
          sheetId={store.activeSheet()}
          cell={store.focused()}
          version={store.dataVersion() + attestVersion()}
          readOnly={store.readOnly()}
          acks={store.session.unacked}
          onClose={close}
        />
      </Show>
      <Show when={store.panel() === 'trash'}>
        <TrashPanel
          workbook={wb}
          version={store.dataVersion() + attestVersion()}
          readOnly={store.readOnly()}
          onClose={close}
          attestOf={attestOf()}
          removalOf={removalOf()}
        />
      </Show>
      <Show when={lostCount()}>
        <div class="toast history-toast" role="alert" data-testid="conflict-toast">
          {t('conflict.toast', { n: lostCount() })} —{' '}
          <button
            type="button"
            class="link"
            data-testid="conflict-toast-view"
            onClick={() => {
              setMineOnly(true)
              store.setPanel('conflicts')
              setLostCount(0)
            }}
          >
            {t('conflict.view')}
          </button>
        </div>
      </Show>
    </>
  )
}
