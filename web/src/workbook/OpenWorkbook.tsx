import { createEffect, createMemo, For, Show } from 'solid-js'
import type { Identity } from '../app/identity'
import { runKey } from '../app/toolbarExtensions'
import type { WorkbookSession } from '../doc/openWorkbook'
// issue 13: conflict inbox, cell history, trash (panels, toast and their commands)
import '../history/commands'
// issue 12 (Search): the find bar registers its commands and toolbar slot (a component: imported
// here, not from the grid factory, which plain-TS unit tests load without the JSX transform).
import '../grid/features/FindBar'
// issue 16 (access-ui): what this token may change (grid, structure menus, 更多 → 权限规则, share)
import { createAccessSession } from '../access/ui'
import { refusedToast } from '../access/ui/text'
import { HistoryPanels } from '../history/HistoryPanels'
// versions-web (issue 13 §3): the 版本 panel and its toolbar command
import '../versions/commands'
// issue 12 (grid-ui): 冻结至此列 / 取消冻结列 (context menu and 更多)
import '../grid/features/freezeCommands'
import { locale, t } from '../i18n'
import { VersionsPanel } from '../versions/VersionsPanel'
import { ColumnPanel } from './ColumnPanel'
import { ContextMenu } from './ContextMenu'
import { prepareIdleGrid } from './earlyGrid'
import { StatusBar } from './panels/StatusBar'
import { createAllProblems } from './problems/createAllProblems'
import { ProblemsBySheetPanel } from './problems/ProblemsBySheetPanel'
import { ShareDialog } from './ShareDialog'
import { SheetGrid } from './SheetGrid'
import { SheetTabs } from './SheetTabs'
import { createStatusStats } from './session/createStatusStats'
import { createWorkbookStore } from './session/createWorkbookStore'
import { menuItems } from './toolbar/commandUi'
import './toolbar/commands'
import { WorkbookToolbar } from './toolbar/WorkbookToolbar'

/** Benchmark builds only (`VITE_TZ_DEBUG=1`): the measurement hook on `window.__tzBench`. */
const benchHook =
  import.meta.env.VITE_TZ_DEBUG === '1'
    ? import('../debug/benchHook').then((m) => m.installBenchHook())
    : null

/** An open workbook: its store, then toolbar, grid, panels, tabs and status bar around it. */
export function OpenWorkbook(props: {
  session: WorkbookSession
  token: string | null
  identity: Identity
}) {
  const session = props.session
  const wb = session.workbook
  const store = createWorkbookStore(session)
  // issue 16 (access-ui): the rules and locks, evaluated here for this token (offline too)
  const access = createAccessSession(wb, props.token, props.identity.name)
  access.gate.onRefused((n, d) => store.showToast(refusedToast(n, d)))
  // Problems of every sheet (issue 12, "app"): the count and panel cover all; the grid outlines its own.
  const allProblems = createAllProblems(wb)
  const problems = () => allProblems.forSheet(store.activeSheet())
  const stats = createStatusStats(
    wb,
    store.activeSheet,
    createMemo(() => store.focused()?.colId ?? null),
    store.grid,
    store.selection,
  )
  const commandContext = () => store.commandContext(allProblems.total)
  if (benchHook !== null) {
    createEffect(() => {
      const g = store.grid()
      void benchHook.then((h) => {
        h.session = session
        h.grid = g
      })
    })
  }

  const warnings = (): string[] =>
    session.warnings().map((w) => {
      switch (w.kind) {
        case 'corrupt':
          return t('warn.corrupt', { n: w.n })
        case 'idb-unavailable':
          return t('warn.idbUnavailable', { reason: w.reason })
        case 'permission-denied':
          return t('warn.permissionDenied')
        case 'newer-schema':
          return locale() === 'en' ? w.en : w.zh
      }
    })

  return (
    <div class="workbook" data-testid="workbook" data-readonly={store.readOnly() ? '1' : '0'}>
      <WorkbookToolbar store={store} identity={props.identity} commandContext={commandContext} />
      <Show when={warnings().length}>
        <div class="banner warn" role="alert">
          <For each={warnings()}>{(w) => <div>{w}</div>}</For>
        </div>
      </Show>
      <Show when={store.readOnly()}>
        <div class="banner info" data-testid="readonly-banner">
          {t('warn.readOnlyLong')}
        </div>
      </Show>
      <div class="wb-body">
        <div class="grid-area">
          <Show
            when={store.activeSheet()}
            keyed
            fallback={
              <>
                <p class="muted pad">{t('sheet.empty')}</p>
                {/* A grid made ahead for the first sheet to appear (earlyGrid.ts) */}
                <div class="grid-host" ref={(el) => prepareIdleGrid(session.id, el)} />
              </>
            }
          >
            {(sheetId) => (
              <SheetGrid
                session={session}
                sheetId={sheetId}
                readOnly={store.readOnly()}
                problems={problems()}
                peers={session.peers()}
                onReady={store.setGrid}
                onFocusChange={store.setFocused}
                onSelectionChange={store.setSelection}
                onContextMenu={(at) => store.setMenu(at)}
                onPasted={(r) => {
                  if (r.unparsed) store.showToast(t('paste.problems', { n: r.unparsed }))
                }}
                onKey={(e) => runKey(e, commandContext())}
              />
            )}
          </Show>
        </div>
        <Show when={store.panel() === 'columns' && store.activeSheet()}>
          {(id) => (
            <ColumnPanel
              workbook={wb}
              sheetId={id()}
              version={store.dataVersion()}
              readOnly={store.readOnly() || !access.canStructure(id())}
              onClose={() => store.setPanel(null)}
            />
          )}
        </Show>
        <Show when={store.panel() === 'problems'}>
          <ProblemsBySheetPanel
            workbook={wb}
            activeSheet={store.activeSheet()}
            bySheet={allProblems.bySheet()}
            total={allProblems.total()}
            grid={store.grid()}
            selectSheet={store.setActiveSheet}
            onClose={() => store.setPanel(null)}
          />
        </Show>
        <HistoryPanels store={store} />
        <Show when={store.panel() === 'versions'}>
          <VersionsPanel store={store} token={props.token} />
        </Show>
      </div>
      <SheetTabs
        workbook={wb}
        sheets={store.sheets()}
        active={store.activeSheet()}
        readOnly={store.readOnly() || !access.canStructure()}
        onSelect={store.setActiveSheet}
      />
      <StatusBar stats={stats()} selection={store.selection()} pending={session.pending} />
      <Show when={store.menu()}>
        {(m) => (
          <ContextMenu
            x={m().x}
            y={m().y}
            items={menuItems(commandContext())}
            onClose={() => store.setMenu(null)}
          />
        )}
      </Show>
      <Show when={store.sharing()}>
        <ShareDialog
          workbookId={session.id}
          token={props.token}
          access={access}
          onClose={() => store.setSharing(false)}
        />
      </Show>
      <Show when={store.toast()}>
        <div class="toast" role="status">
          {store.toast()}
        </div>
      </Show>
    </div>
  )
}
