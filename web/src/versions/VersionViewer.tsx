import type { Workbook } from '@taizhang/shared'
import { createSignal, For, onCleanup, onMount } from 'solid-js'
import { UnackedCells } from '../doc/UnackedCells'
import { makeSheetGrid, type SheetGridHandle } from '../grid/makeSheetGrid'
import { locale, t } from '../i18n'
import { vt } from './text'

/**
 * A version opened read-only: its sheets as tabs over the app's own grid (`makeSheetGrid` with
 * `readOnly`), bound to the version's workbook, which nothing syncs or saves.
 */
export function VersionViewer(props: { workbook: Workbook; name: string; onClose: () => void }) {
  const sheets = props.workbook.listSheets()
  const [active, setActive] = createSignal(sheets[0]?.id ?? null)
  let host!: HTMLDivElement
  let grid: SheetGridHandle | null = null
  const mount = (sheetId: string | null) => {
    grid?.dispose()
    grid = null
    if (!sheetId) return
    grid = makeSheetGrid({
      container: host,
      workbook: props.workbook,
      sheet: props.workbook.sheet(sheetId),
      // No markers: nothing here is edited or sent.
      unacked: new UnackedCells(null),
      readOnly: true,
      locale: locale(),
      text: {
        unacked: t('status.unacked'),
        search: t('editor.search'),
        none: t('editor.none'),
        noMatch: t('editor.noMatch'),
      },
    })
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose()
  }
  onMount(() => {
    mount(active())
    document.addEventListener('keydown', onKey)
  })
  onCleanup(() => {
    document.removeEventListener('keydown', onKey)
    grid?.dispose()
  })
  return (
    <div class="modal-backdrop version-viewer-backdrop" role="presentation">
      <div
        class="version-viewer"
        data-testid="version-viewer"
        role="dialog"
        aria-label={vt('viewing', { name: props.name })}
      >
        <header>
          <h3>{vt('viewing', { name: props.name })}</h3>
          <button
            type="button"
            class="btn small"
            data-testid="version-viewer-close"
            onClick={() => props.onClose()}
          >
            {vt('close')}
          </button>
        </header>
        <div class="version-viewer-grid" ref={host} />
        <nav class="sheet-tabs">
          <For each={sheets}>
            {(s) => (
              <button
                type="button"
                class="tab"
                classList={{ active: active() === s.id }}
                onClick={() => {
                  setActive(s.id)
                  mount(s.id)
                }}
              >
                {s.name}
              </button>
            )}
          </For>
        </nav>
      </div>
    </div>
  )
}
