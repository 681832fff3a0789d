import type { SheetInfo } from '@taizhang/shared'
import {
  type Accessor,
  createEffect,
  createMemo,
  createSignal,
  on,
  onCleanup,
  type Setter,
} from 'solid-js'
import { afterFirstPaint } from '../../app/afterPaint'
import { updateWorkbookEntry } from '../../app/registry'
import type { CommandContext, PanelName } from '../../app/toolbarExtensions'
import type { WorkbookSession } from '../../doc/openWorkbook'
import type { FocusedCell, SelectionInfo, SheetGridHandle } from '../../grid/makeSheetGrid'
import { t } from '../../i18n'

/**
 * The open workbook's view state, shared by the toolbar, grid, panels and status bar: the sheet
 * on screen, its grid, focus and selection, undo availability, panels and messages. Needs a
 * Solid owner (the `OpenWorkbook` component); everything it subscribes to ends with it.
 */
export interface WorkbookStore {
  session: WorkbookSession
  /** Bumped on every model change (panels that read the model directly). */
  dataVersion: Accessor<number>
  sheets: Accessor<SheetInfo[]>
  activeSheet: Accessor<string | null>
  setActiveSheet: Setter<string | null>
  title: Accessor<string>
  readOnly: () => boolean
  grid: Accessor<SheetGridHandle | null>
  setGrid: Setter<SheetGridHandle | null>
  focused: Accessor<FocusedCell | null>
  setFocused: Setter<FocusedCell | null>
  selection: Accessor<SelectionInfo>
  setSelection: Setter<SelectionInfo>
  /** Row ids as the grid shows them (filter and sort applied), or null before it exists. */
  visibleRowIds(): string[] | null
  undoState: Accessor<{ undo: boolean; redo: boolean }>
  menu: Accessor<{ x: number; y: number } | null>
  setMenu: Setter<{ x: number; y: number } | null>
  panel: Accessor<PanelName | null>
  setPanel: Setter<PanelName | null>
  sharing: Accessor<boolean>
  setSharing: Setter<boolean>
  toast: Accessor<string | null>
  showToast(msg: string): void
  /** The command table's context for this view; `problemCount` comes from the problems store. */
  commandContext(problemCount: () => number): CommandContext
}

export function createWorkbookStore(session: WorkbookSession): WorkbookStore {
  const wb = session.workbook
  const [dataVersion, setDataVersion] = createSignal(0)
  onCleanup(wb.onChange(() => setDataVersion((v) => v + 1)))

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
  keepRegistryCurrent(session)

  const [grid, setGrid] = createSignal<SheetGridHandle | null>(null)
  const [focused, setFocused] = createSignal<FocusedCell | null>(null)
  const [selection, setSelection] = createSignal<SelectionInfo>({
    rows: 0,
    cols: 0,
    rowIds: [],
    colIds: [],
  })
  // Presence: publish the focused cell.
  createEffect(() => {
    const f = focused()
    const sheetId = activeSheet()
    session.setPresenceCursor(f && sheetId ? { sheet: sheetId, row: f.rowId, col: f.colId } : null)
  })

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

  const [menu, setMenu] = createSignal<{ x: number; y: number } | null>(null)
  const [panel, setPanel] = createSignal<PanelName | null>(null)
  const [sharing, setSharing] = createSignal(false)
  const [toast, setToast] = createSignal<string | null>(null)
  let toastTimer: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => clearTimeout(toastTimer))

  const readOnly = () => session.readOnly()
  const store: WorkbookStore = {
    session,
    dataVersion,
    sheets,
    activeSheet,
    setActiveSheet,
    title,
    readOnly,
    grid,
    setGrid,
    focused,
    setFocused,
    selection,
    setSelection,
    visibleRowIds() {
      const g = grid()
      if (!g) return null
      const ids: string[] = []
      g.api.forEachNodeAfterFilterAndSort((node) => {
        if (node.data) ids.push(node.data.id)
      })
      return ids
    },
    undoState,
    menu,
    setMenu,
    panel,
    setPanel,
    sharing,
    setSharing,
    toast,
    showToast(msg) {
      setToast(msg)
      clearTimeout(toastTimer)
      toastTimer = setTimeout(() => setToast(null), 4000)
    },
    commandContext: (problemCount) => ({
      session,
      grid: grid(),
      sheetId: activeSheet(),
      readOnly: readOnly(),
      view: {
        panel,
        togglePanel: (p) => setPanel(panel() === p ? null : p),
        problemCount,
        canUndo: () => undoState().undo,
        canRedo: () => undoState().redo,
        share: () => setSharing(true),
      },
    }),
  }
  return store
}

/**
 * Keeps the home page's view of this workbook current: at most one registry write a second (an
 * IndexedDB open + read + write per keystroke-level edit was most of an edit's cost).
 */
function keepRegistryCurrent(session: WorkbookSession): void {
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
}
