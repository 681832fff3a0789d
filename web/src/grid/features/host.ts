import type {
  AgPublicEventType,
  CellContextMenuEvent,
  CellFocusedEvent,
  GridApi,
  GridOptions,
  ModelUpdatedEvent,
} from 'ag-grid-community'
import type { RowData } from '../rowData'

/**
 * Grid events delivered synchronously, through grid-option callbacks (`onCellFocused`…): AG
 * Grid calls listeners added with `api.addEventListener` a task later, too late to see, say,
 * whether Shift was still held when a click focused a cell.
 */
export interface SyncGridEvents {
  cellFocused: CellFocusedEvent<RowData>
  cellContextMenu: CellContextMenuEvent<RowData>
  modelUpdated: ModelUpdatedEvent<RowData>
}

/** Fans the synchronous grid callbacks out to the features' listeners. */
export interface GridEventHub {
  /** The grid options that feed the hub (set once on the grid). */
  options(): Partial<GridOptions<RowData>>
  on<K extends keyof SyncGridEvents>(type: K, fn: (e: SyncGridEvents[K]) => void): () => void
}

export function makeGridEventHub(): GridEventHub {
  const listeners: { [K in keyof SyncGridEvents]: Set<(e: SyncGridEvents[K]) => void> } = {
    cellFocused: new Set(),
    cellContextMenu: new Set(),
    modelUpdated: new Set(),
  }
  const emit =
    <K extends keyof SyncGridEvents>(type: K) =>
    (e: SyncGridEvents[K]) => {
      for (const fn of [...listeners[type]]) (fn as (e: SyncGridEvents[K]) => void)(e)
    }
  return {
    options: () => ({
      onCellFocused: emit('cellFocused'),
      onCellContextMenu: emit('cellContextMenu'),
      onModelUpdated: emit('modelUpdated'),
    }),
    on(type, fn) {
      const set = listeners[type] as Set<typeof fn>
      set.add(fn)
      return () => set.delete(fn)
    },
  }
}

/**
 * Listeners, grid events and timers a feature registers, undone together on dispose (as AG
 * Grid's beans do with managed listeners): no add/remove pairs written by hand.
 */
export interface ListenerHost {
  listen<K extends keyof HTMLElementEventMap>(
    target: HTMLElement | Document | Window,
    type: K,
    fn: (e: HTMLElementEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void
  /** A synchronous grid event (`SyncGridEvents`), removed on dispose. */
  onGridSync<K extends keyof SyncGridEvents>(type: K, fn: (e: SyncGridEvents[K]) => void): void
  /**
   * An AG Grid event listener (`api.addEventListener`), removed on dispose. AG Grid calls it a
   * task after the event; use `onGridSync` where that matters.
   */
  onGrid<E extends AgPublicEventType>(
    api: GridApi<RowData>,
    type: E,
    // AG Grid's listener type is generic over every event; each feature narrows it by use.
    fn: (e: never) => void,
  ): void
  /** A timeout cleared on dispose (and forgotten once it ran). */
  timeout(fn: () => void, ms: number): void
  /** Anything else to undo on dispose (a model subscription's `off`). */
  add(dispose: () => void): void
  dispose(): void
}

export function makeListenerHost(hub: GridEventHub): ListenerHost {
  const undo: (() => void)[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let disposed = false
  return {
    listen(target, type, fn, options) {
      const l = fn as EventListener
      target.addEventListener(type, l, options)
      undo.push(() => target.removeEventListener(type, l, options))
    },
    onGridSync(type, fn) {
      undo.push(hub.on(type, fn))
    },
    onGrid(api, type, fn) {
      const l = fn as unknown as Parameters<GridApi<RowData>['addEventListener']>[1]
      api.addEventListener(type, l)
      undo.push(() => {
        if (!api.isDestroyed()) api.removeEventListener(type, l)
      })
    },
    timeout(fn, ms) {
      if (disposed) return
      const id = setTimeout(() => {
        timers.delete(id)
        fn()
      }, ms)
      timers.add(id)
    },
    add(dispose) {
      undo.push(dispose)
    },
    dispose() {
      disposed = true
      for (const id of timers) clearTimeout(id)
      timers.clear()
      // Last registered, first undone.
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!()
      undo.length = 0
    },
  }
}
