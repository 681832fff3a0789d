import type { ColumnState } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridFeature } from './GridFeature'
import { MAX_PINNED_SHARE, MIN_PINNED_WIDTH_PX } from './narrowPinned'

/**
 * What a person froze in one sheet: the data columns up to and including `upTo` (a column id,
 * so moving or adding columns keeps it), or none (`null`). No setting: the first column, as a
 * sheet opens by default.
 */
export interface FreezeSetting {
  upTo: string | null
}

/** Where the settings live: this browser's storage (per person and device, never the doc). */
export interface FreezeStore {
  read(key: string): FreezeSetting | undefined
  write(key: string, setting: FreezeSetting | undefined): void
}

/** AG Grid's width for a column that sets none. */
const AG_DEFAULT_WIDTH_PX = 200

/** The storage key of a sheet's setting. */
export function freezeKey(workbookId: string, sheetId: string): string {
  return `taizhang.freeze.${workbookId}.${sheetId}`
}

/**
 * How many of the `wanted` leading data columns stay pinned in a grid `gridWidth` wide: as many
 * as fit in `share` of it next to the row numbers (`fixed` px) even when narrowPinned squeezes
 * each to its minimum; the rest scroll with the others. Pure.
 */
export function frozenThatFit(
  wanted: number,
  fixed: number,
  gridWidth: number,
  share = MAX_PINNED_SHARE,
  minWidth = MIN_PINNED_WIDTH_PX,
): number {
  if (wanted <= 0 || gridWidth <= 0) return Math.max(0, wanted)
  const room = Math.max(0, gridWidth * share - fixed)
  return Math.min(wanted, Math.floor(room / minWidth))
}

/** The browser's localStorage as a FreezeStore (a broken or full storage keeps the view's state). */
export const localFreezeStore: FreezeStore = {
  read(key) {
    try {
      const raw = globalThis.localStorage?.getItem(key)
      if (!raw) return undefined
      const v = JSON.parse(raw) as { upTo?: unknown }
      return { upTo: typeof v.upTo === 'string' ? v.upTo : null }
    } catch {
      // Unreadable or disabled storage: the sheet opens with its default.
      return undefined
    }
  },
  write(key, setting) {
    try {
      if (setting) globalThis.localStorage?.setItem(key, JSON.stringify(setting))
      else globalThis.localStorage?.removeItem(key)
    } catch {
      // Not remembering the choice is harmless: the columns are frozen in this view anyway.
    }
  },
}

/** What the grid handle (and the 冻结 commands) call. */
export interface Freeze {
  /** Freezes the data columns up to `colId`; `null` unfreezes all of them. */
  freezeTo(colId: string | null): void
  /** The last frozen data column as set (not as fitted), or null. */
  frozenUpTo(): string | null
}

/**
 * Freezing columns (issue 12, "Freeze"): the data columns up to the chosen one are pinned left,
 * after the row numbers, as set by this person on this device (`FreezeStore`, keyed by workbook
 * and sheet). On a narrow grid only as many stay pinned as fit in narrowPinned's 40 % share;
 * they come back when the grid is wide again.
 */
export function makeFreeze(
  workbookId: string,
  store: FreezeStore = localFreezeStore,
): GridFeature & Freeze {
  let upTo: string | null = null
  let apply = () => {}
  let save = (_setting: FreezeSetting) => {}
  return {
    name: 'freeze',
    install(api, ctx) {
      const key = freezeKey(workbookId, ctx.sheet.id)
      const first = () => ctx.columns()[0]?.id ?? null
      const saved = store.read(key)
      upTo = saved ? saved.upTo : first()
      save = (setting) => store.write(key, setting)
      let applying = false
      apply = () => {
        if (api.isDestroyed() || applying) return
        const cols = ctx.columns()
        const wanted = upTo === null ? 0 : cols.findIndex((c) => c.id === upTo) + 1
        const rowNumbers = api.getColumn(ROW_NUMBER_COL)?.getActualWidth() ?? 0
        const n = frozenThatFit(wanted, rowNumbers, ctx.container.clientWidth)
        const state: ColumnState[] = []
        cols.forEach((c, i) => {
          const column = api.getColumn(c.id)
          if (!column) return
          const pinned = i < n ? 'left' : null
          if ((column.getPinned() ?? null) === pinned) return
          // A column leaving the pinned area gets its own width back if narrowPinned squeezed it.
          const own = column.getColDef().width ?? AG_DEFAULT_WIDTH_PX
          const width = !pinned && column.getActualWidth() < own ? own : undefined
          state.push({ colId: c.id, pinned, ...(width ? { width } : {}) })
        })
        if (state.length === 0) return
        applying = true
        try {
          // Pinned columns keep the sheet's order: pinning does not move them.
          api.applyColumnState({ state })
        } finally {
          applying = false
        }
      }
      // New column definitions (a column added, retyped, a read-only switch) reset pinning.
      ctx.host.onGrid(api, 'newColumnsLoaded', () => apply())
      if (typeof ResizeObserver !== 'undefined') {
        let lastWidth = ctx.container.clientWidth
        const ro = new ResizeObserver(() => {
          if (ctx.container.clientWidth === lastWidth) return
          lastWidth = ctx.container.clientWidth
          apply()
        })
        ro.observe(ctx.container)
        ctx.host.add(() => ro.disconnect())
      }
      apply()
      return () => {
        apply = () => {}
        save = () => {}
      }
    },
    freezeTo(colId) {
      upTo = colId
      save({ upTo })
      apply()
    },
    frozenUpTo: () => upTo,
  }
}
