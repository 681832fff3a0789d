import type { AgPublicEventType, GridApi } from 'ag-grid-community'
import type { RowData } from '../rowData'

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
  /** An AG Grid event listener (`api.addEventListener`), removed on dispose. */
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

export function makeListenerHost(): ListenerHost {
  const undo: (() => void)[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let disposed = false
  return {
    listen(target, type, fn, options) {
      const l = fn as EventListener
      target.addEventListener(type, l, options)
      undo.push(() => target.removeEventListener(type, l, options))
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
