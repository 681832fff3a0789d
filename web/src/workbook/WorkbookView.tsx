import { formatValue, isNumericType, type Problem } from '@taizhang/shared'
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  type JSX,
  on,
  onCleanup,
  Show,
} from 'solid-js'
import { Dynamic } from 'solid-js/web'
import { afterFirstPaint } from '../app/afterPaint'
import type { Identity } from '../app/identity'
import { getWorkbookEntry, getWorkspaceToken, updateWorkbookEntry } from '../app/registry'
import { absorbedToken, linksStored } from '../app/shareLinks'
import { toolbarExtensions } from '../app/toolbarExtensions'
import type { FirstScreen } from '../doc/firstScreen'
import { openWorkbook, type WorkbookSession } from '../doc/openWorkbook'
import { firstScreenOf, firstScreenSettled, prefetchDoc } from '../doc/prefetch'
import type { FocusedCell, SelectionInfo, SheetGridHandle } from '../grid/makeSheetGrid'
import { takePendingCreate } from '../home/pendingCreate'
import { formatNumber, locale, t } from '../i18n'
import { ColumnPanel } from './ColumnPanel'
import { ContextMenu, type MenuItem } from './ContextMenu'
import { ColumnStats } from './columnStats'
import { dropEarlyGrid, prepareEarlyGrid, prepareIdleGrid } from './earlyGrid'
import { FirstScreenView } from './FirstScreenView'
import { buildFirstScreen } from './firstScreenBuild'
import { ShareDialog } from './ShareDialog'
import { SheetGrid } from './SheetGrid'
import { SheetTabs } from './SheetTabs'
import { StatusBadge } from './StatusBadge'
import { SheetProblems } from './sheetProblems'

/** Benchmark builds only (`VITE_TZ_DEBUG=1`): the measurement hook on `window.__tzBench`. */
const benchHook =
  import.meta.env.VITE_TZ_DEBUG === '1'
    ? import('../debug/benchHook').then((m) => m.installBenchHook())
    : null

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

function OpenWorkbook(props: {
  session: WorkbookSession
  token: string | null
  identity: Identity
}) {
  const session = props.session
  const wb = session.workbook
  const [dataVersion, setDataVersion] = createSignal(0)
  const offData = wb.onChange(() => setDataVersion((v) => v + 1))
  onCleanup(offData)

  const sheets = createMemo(() => {
    void session.metaVersion()
    return wb.listSheets()
  })
  const [activeSheet, setActiveSheet] = createSignal<string | null>(null)
  const fallbackSheet = (): string | null | undefined => {
    const list = sheets()
    const cur = activeSheet()
    return cur && list.some((s) => s.id === cur) ? undefined : (list[0]?.id ?? null)
  }
  let opening = true
  createEffect(() => {
    const next = fallbackSheet()
    const now = opening || next === null
    opening = false
    if (next === undefined) return
    if (now) setActiveSheet(next)
    // A sheet appeared in an empty workbook, or the active one went away, inside somebody's
    // transaction (a big CSV import's publish creates the first sheet): mounting its grid there
    // would add ~0.1 s to that task, so switch a task later.
    else
      setTimeout(() => {
        const later = fallbackSheet()
        if (later !== undefined) setActiveSheet(later)
      }, 0)
  })
  const title = createMemo(() => {
    void session.metaVersion()
    return wb.meta().title
  })
  createEffect(
    on(title, (tt) => {
      document.title = `${tt || t('home.untitled')} · ${t('app.name')}`
      afterFirstPaint(() => void updateWorkbookEntry(session.id, { title: tt }).catch(() => {}))
    }),
  )
  // Keep the home page's view of this workbook current: at most one registry write a second
  // (an IndexedDB open + read + write per keystroke-level edit was most of an edit's cost).
  let registryTimer: ReturnType<typeof setTimeout> | null = null
  let registryPatch: { pending: number | null; everSynced?: true } | null = null
  const writeRegistry = () => {
    if (registryTimer !== null) clearTimeout(registryTimer)
    registryTimer = null
    const patch = registryPatch
    registryPatch = null
    if (patch) void updateWorkbookEntry(session.id, patch).catch(() => {})
  }
  createEffect(
    on([session.pending, session.connection], ([pending, conn]) => {
      registryPatch = {
        pending: pending ?? null,
        ...(conn === 'synced' || registryPatch?.everSynced ? { everSynced: true as const } : {}),
      }
      if (registryTimer === null) registryTimer = setTimeout(writeRegistry, 1000)
    }),
  )
  onCleanup(writeRegistry)

  const readOnly = () => session.readOnly()
  const [grid, setGrid] = createSignal<SheetGridHandle | null>(null)
  /** What the grid shows, in its order: the export dialog's "as shown" choice. */
  const visibleRowIds = (): string[] | null => {
    const g = grid()
    if (!g) return null
    const ids: string[] = []
    g.api.forEachNodeAfterFilterAndSort((node) => {
      if (node.data) ids.push(node.data.id)
    })
    return ids
  }
  const [focused, setFocused] = createSignal<FocusedCell | null>(null)
  const [selection, setSelection] = createSignal<SelectionInfo>({
    rows: 0,
    cols: 0,
    rowIds: [],
    colIds: [],
  })
  if (benchHook !== null) {
    createEffect(() => {
      const g = grid()
      void benchHook.then((h) => {
        h.session = session
        h.grid = g
      })
    })
  }
  const [menu, setMenu] = createSignal<{ x: number; y: number } | null>(null)
  const [panel, setPanel] = createSignal<'columns' | 'problems' | null>(null)
  const [sharing, setSharing] = createSignal(false)
  const [toast, setToast] = createSignal<string | null>(null)
  let toastTimer: ReturnType<typeof setTimeout> | undefined
  const showToast = (msg: string) => {
    setToast(msg)
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => setToast(null), 4000)
  }
  onCleanup(() => clearTimeout(toastTimer))

  // Undo availability, refreshed on stack changes.
  const [undoState, setUndoState] = createSignal({ undo: false, redo: false })
  const refreshUndo = () =>
    setUndoState({
      undo: session.undo.undoStack.length > 0,
      redo: session.undo.redoStack.length > 0,
    })
  session.undo.on('stack-item-added', refreshUndo)
  session.undo.on('stack-item-popped', refreshUndo)
  session.undo.on('stack-cleared', refreshUndo)
  onCleanup(() => {
    session.undo.off('stack-item-added', refreshUndo)
    session.undo.off('stack-item-popped', refreshUndo)
    session.undo.off('stack-cleared', refreshUndo)
  })

  // Presence: publish the focused cell.
  createEffect(() => {
    const f = focused()
    const sheetId = activeSheet()
    session.setPresenceCursor(f && sheetId ? { sheet: sheetId, row: f.rowId, col: f.colId } : null)
  })

  // Problems of the visible sheet, kept incrementally (an edit revalidates the rows it touched;
  // a full pass runs in slices), so typing stays smooth on a 100,000-row sheet.
  const [problems, setProblems] = createSignal<Problem[]>([])
  let sheetProblems: SheetProblems | null = null
  createEffect(
    on(activeSheet, (id) => {
      sheetProblems?.dispose()
      sheetProblems = null
      setProblems([])
      if (!id || !wb.hasSheet(id)) return
      sheetProblems = new SheetProblems(
        wb.sheet(id),
        (sid, rid) => wb.hasSheet(sid) && wb.sheet(sid).hasRow(rid),
        setProblems,
      )
    }),
  )
  const offProblems = wb.onChange((c) => {
    const id = activeSheet()
    for (const [sid, sc] of c.sheets) {
      if (sid === id) sheetProblems?.apply(sc)
      else if (sc.added.size || sc.removed.size) sheetProblems?.otherSheetRowsChanged()
    }
  })
  onCleanup(() => {
    offProblems()
    sheetProblems?.dispose()
  })

  // Status bar: rows, and sum/average/count of the focused column. Kept incrementally (an edit
  // costs the cells it touched); the first pass over a column runs in slices off the hot path.
  const focusedColId = createMemo(() => focused()?.colId ?? null)
  const [statsVersion, setStatsVersion] = createSignal(0)
  let colStats: ColumnStats | null = null
  const bumpStats = () => setStatsVersion((v) => v + 1)
  createEffect(
    on([activeSheet, focusedColId], ([id, colId]) => {
      colStats?.dispose()
      colStats = null
      if (id && colId && wb.hasSheet(id) && wb.sheet(id).column(colId))
        colStats = new ColumnStats(wb.sheet(id), colId, bumpStats)
      bumpStats()
    }),
  )
  const offStats = wb.onChange((c) => {
    const id = activeSheet()
    const sc = id ? c.sheets.get(id) : undefined
    if (!sc) return
    if (sc.columns && colStats && id) {
      // A retyped or deleted column: start over.
      const colId = colStats.colId
      colStats.dispose()
      colStats = wb.sheet(id).column(colId) ? new ColumnStats(wb.sheet(id), colId, bumpStats) : null
      bumpStats()
    } else colStats?.apply(sc)
    if (sc.added.size || sc.removed.size || sc.columns) bumpStats()
  })
  onCleanup(() => {
    offStats()
    colStats?.dispose()
  })
  const stats = createMemo(() => {
    void statsVersion()
    const id = activeSheet()
    if (!id || !wb.hasSheet(id)) return null
    const sheet = wb.sheet(id)
    const rows = sheet.rowCount()
    const cs = colStats
    const col = cs ? sheet.column(cs.colId) : undefined
    if (!cs || !col) return { rows, col: null }
    if (!cs.ready()) return { rows, col: col.name, count: null, sum: null, avg: null }
    const { count, sum, numbers } = cs.value()
    const fmt = (n: number) =>
      isNumericType(col.type) ? formatValue(n, col, { locale: locale() }) : formatNumber(n)
    return {
      rows,
      col: col.name,
      count,
      sum: numbers ? fmt(sum) : null,
      avg: numbers ? fmt(sum / numbers) : null,
    }
  })

  const sheetHandle = () => {
    const id = activeSheet()
    return id && wb.hasSheet(id) ? wb.sheet(id) : null
  }

  const menuItems = (): MenuItem[] => {
    const g = grid()
    const n = g?.selectedRowIds().length ?? 0
    const ro = readOnly()
    return [
      {
        label: t('row.insertAbove'),
        shortcut: 'Ctrl +',
        disabled: ro,
        action: () => g?.insertRow('above'),
      },
      {
        label: t('row.insertBelow'),
        shortcut: 'Ctrl Shift +',
        disabled: ro,
        action: () => g?.insertRow('below'),
      },
      {
        label: n > 1 ? t('row.deleteN', { n }) : t('row.delete'),
        shortcut: 'Ctrl -',
        danger: true,
        disabled: ro || n === 0,
        action: () => g?.deleteSelectedRows(),
      },
      {
        label: t('row.copy'),
        shortcut: 'Ctrl C',
        action: () => {
          const text = g?.copySelection() ?? ''
          void navigator.clipboard?.writeText(text).catch(() => {})
        },
      },
      {
        label: t('row.paste'),
        shortcut: 'Ctrl V',
        disabled: ro,
        action: () => {
          void navigator.clipboard
            ?.readText()
            .then((text) => g?.pasteText(text))
            .catch(() => {})
        },
      },
    ]
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

  const toolbarButton = (
    label: string,
    onClick: () => void,
    extra: Partial<JSX.ButtonHTMLAttributes<HTMLButtonElement>> = {},
  ) => (
    <button type="button" class="btn" onClick={onClick} {...extra}>
      {label}
    </button>
  )

  return (
    <div class="workbook" data-testid="workbook" data-readonly={readOnly() ? '1' : '0'}>
      <div class="toolbar">
        <a class="btn ghost" href="#/">
          ← {t('wb.home')}
        </a>
        <input
          class="title-input"
          aria-label={t('wb.renameTitle')}
          value={title()}
          readOnly={readOnly()}
          onChange={(e) => {
            const v = e.currentTarget.value.trim()
            if (v && !readOnly()) wb.setTitle(v)
          }}
          data-testid="wb-title"
        />
        <Show when={readOnly()}>
          <span class="readonly-chip" data-testid="readonly-notice" title={t('warn.readOnlyLong')}>
            {t('warn.readOnly')}
          </span>
        </Show>
        <StatusBadge session={session} />
        <span class="spacer" />
        <div class="presence" data-testid="presence">
          <span
            class="avatar me"
            style={{ background: props.identity.color }}
            title={`${props.identity.name} (${t('presence.you')})`}
          >
            {props.identity.name.slice(0, 1)}
          </span>
          <For each={session.peers()}>
            {(p) => (
              <span
                class="avatar"
                style={{ background: p.color }}
                title={p.name}
                data-peer={p.name}
              >
                {p.name.slice(0, 1)}
              </span>
            )}
          </For>
        </div>
        {toolbarButton(t('wb.undo'), () => session.undo.undo(), {
          disabled: readOnly() || !undoState().undo,
          title: 'Ctrl+Z',
          'data-testid': 'undo',
        } as never)}
        {toolbarButton(t('wb.redo'), () => session.undo.redo(), {
          disabled: readOnly() || !undoState().redo,
          title: 'Ctrl+Y',
        })}
        {toolbarButton(`+ ${t('wb.addRow')}`, () => grid()?.addRowAtEnd(), {
          disabled: readOnly() || !activeSheet(),
          'data-testid': 'add-row',
        } as never)}
        {toolbarButton(t('wb.columns'), () => setPanel(panel() === 'columns' ? null : 'columns'), {
          disabled: !activeSheet(),
        })}
        <button
          type="button"
          class={`btn ${problems().length ? 'warn' : ''}`}
          onClick={() => setPanel(panel() === 'problems' ? null : 'problems')}
          data-testid="problems-button"
        >
          {t('wb.problems', { n: problems().length })}
        </button>
        <For each={toolbarExtensions}>
          {(Ext) => (
            <Dynamic
              component={Ext}
              session={session}
              sheetId={activeSheet}
              selectSheet={setActiveSheet}
              visibleRowIds={visibleRowIds}
            />
          )}
        </For>
        <button
          type="button"
          class="btn primary"
          onClick={() => setSharing(true)}
          data-testid="share"
        >
          {t('wb.share')}
        </button>
      </div>
      <Show when={warnings().length}>
        <div class="banner warn" role="alert">
          <For each={warnings()}>{(w) => <div>{w}</div>}</For>
        </div>
      </Show>
      <Show when={readOnly()}>
        <div class="banner info" data-testid="readonly-banner">
          {t('warn.readOnlyLong')}
        </div>
      </Show>
      <div class="wb-body">
        <div class="grid-area">
          <Show
            when={activeSheet()}
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
                readOnly={readOnly()}
                problems={problems()}
                peers={session.peers()}
                onReady={setGrid}
                onFocusChange={setFocused}
                onSelectionChange={setSelection}
                onContextMenu={(at) => setMenu(at)}
                onPasted={(r) => {
                  if (r.unparsed) showToast(t('paste.problems', { n: r.unparsed }))
                }}
              />
            )}
          </Show>
        </div>
        <Show when={panel() === 'columns' && activeSheet()}>
          {(id) => (
            <ColumnPanel
              workbook={wb}
              sheetId={id()}
              version={dataVersion()}
              readOnly={readOnly()}
              onClose={() => setPanel(null)}
            />
          )}
        </Show>
        <Show when={panel() === 'problems'}>
          <aside class="side-panel" data-testid="problems-panel">
            <header>
              <h3>{t('wb.problems', { n: problems().length })}</h3>
              <button type="button" class="btn small" onClick={() => setPanel(null)}>
                {t('common.close')}
              </button>
            </header>
            <Show when={problems().length} fallback={<p class="muted">{t('wb.noProblems')}</p>}>
              <ul class="problem-list">
                <For each={problems().slice(0, 500)}>
                  {(p) => {
                    const sheet = sheetHandle()
                    const rowNo = () => (sheet ? sheet.rowIndex(p.rowId) + 1 : 0)
                    const colName = () => sheet?.column(p.colId)?.name ?? p.colId
                    return (
                      <li>
                        <button
                          type="button"
                          class="link"
                          onClick={() => grid()?.focusCell(p.rowId, p.colId)}
                        >
                          {t('problem.cell', {
                            sheet: sheet?.name ?? '',
                            row: rowNo(),
                            col: colName(),
                          })}
                        </button>
                        <div class="muted">{locale() === 'en' ? p.message.en : p.message.zh}</div>
                      </li>
                    )
                  }}
                </For>
              </ul>
            </Show>
          </aside>
        </Show>
      </div>
      <SheetTabs
        workbook={wb}
        sheets={sheets()}
        active={activeSheet()}
        readOnly={readOnly()}
        onSelect={setActiveSheet}
      />
      <footer class="status-bar" data-testid="status-bar">
        <Show when={stats()}>
          {(s) => (
            <>
              <span data-testid="row-count">{t('status.rows', { n: formatNumber(s().rows) })}</span>
              <Show when={selection().rows * selection().cols > 1}>
                <span>{t('status.selection', { r: selection().rows, c: selection().cols })}</span>
              </Show>
              <Show when={s().col}>
                <span class="muted">{s().col}</span>
                <Show when={s().count !== null && s().count !== undefined}>
                  <span data-testid="col-count">
                    {t('status.count', { v: formatNumber(s().count ?? 0) })}
                  </span>
                </Show>
                <Show when={s().sum !== null && s().sum !== undefined}>
                  <span data-testid="col-sum">{t('status.sum', { v: s().sum ?? '' })}</span>
                  <span>{t('status.avg', { v: s().avg ?? '' })}</span>
                </Show>
              </Show>
            </>
          )}
        </Show>
        <span class="spacer" />
        <Show when={session.pending()}>
          {(n) => <span class="muted">{t('status.pending', { n: n() })}</span>}
        </Show>
      </footer>
      <Show when={menu()}>
        {(m) => (
          <ContextMenu x={m().x} y={m().y} items={menuItems()} onClose={() => setMenu(null)} />
        )}
      </Show>
      <Show when={sharing()}>
        <ShareDialog
          workbookId={session.id}
          token={props.token}
          onClose={() => setSharing(false)}
        />
      </Show>
      <Show when={toast()}>
        <div class="toast" role="status">
          {toast()}
        </div>
      </Show>
    </div>
  )
}
