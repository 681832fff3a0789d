import { createSignal, onCleanup, onMount, Show } from 'solid-js'
import type { ToolbarExtensionProps } from '../app/toolbarExtensions'
import { ExportDialog } from './ExportDialog'
import { ImportDialog } from './ImportDialog'
import { tx } from './text'

/** Optional host extras: the grid's filtered and sorted row ids, for "export what I see". */
type Props = ToolbarExtensionProps & { visibleRowIds?: () => string[] | null }

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')
}

/**
 * Toolbar buttons for CSV import and export, plus dropping a file anywhere on the workbook page
 * (the grid included) to import it.
 */
export function CsvMenu(props: Props) {
  const [importing, setImporting] = createSignal<File | null>(null)
  const [exporting, setExporting] = createSignal(false)
  const [dragging, setDragging] = createSignal(false)
  let input: HTMLInputElement | undefined

  const readOnly = () => props.session.readOnly()

  onMount(() => {
    const over = (e: DragEvent) => {
      if (!hasFiles(e) || readOnly()) return
      e.preventDefault()
      if (importing()) {
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'none'
        return
      }
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
      setDragging(true)
    }
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false)
    }
    const drop = (e: DragEvent) => {
      setDragging(false)
      const file = e.dataTransfer?.files?.[0]
      if (!file || readOnly()) return
      e.preventDefault()
      // One import at a time: a file dropped while the dialog is open is ignored, so an import whose
      // rows are being written is never torn down half-way.
      if (importing()) return
      setImporting(file)
    }
    document.addEventListener('dragover', over)
    document.addEventListener('dragleave', leave)
    document.addEventListener('drop', drop)
    onCleanup(() => {
      document.removeEventListener('dragover', over)
      document.removeEventListener('dragleave', leave)
      document.removeEventListener('drop', drop)
    })
  })

  return (
    <>
      <button
        type="button"
        class="btn"
        data-keep
        data-testid="csv-import"
        disabled={readOnly()}
        onClick={() => input?.click()}
      >
        {tx('import')}
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,.txt,.tsv,.xlsx,.xlsm,.xls,.et,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        style={{ display: 'none' }}
        data-testid="csv-file-input"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0]
          e.currentTarget.value = ''
          if (f) setImporting(f)
        }}
      />
      <button
        type="button"
        class="btn"
        data-keep
        data-testid="csv-export"
        disabled={!props.sheetId()}
        onClick={() => setExporting(true)}
      >
        {tx('export')}
      </button>
      <Show when={dragging()}>
        <div
          class="csv-drop-overlay"
          style={{
            position: 'fixed',
            inset: '0',
            background: 'rgba(30,90,200,0.12)',
            border: '3px dashed #2a6bd1',
            'pointer-events': 'none',
            display: 'flex',
            'align-items': 'center',
            'justify-content': 'center',
            'font-size': '20px',
            'z-index': '50',
          }}
        >
          {tx('dropHint')}
        </div>
      </Show>
      <Show when={importing()}>
        {(file) => (
          <ImportDialog
            session={props.session}
            file={file()}
            sheetId={props.sheetId()}
            selectSheet={props.selectSheet}
            onClose={() => setImporting(null)}
          />
        )}
      </Show>
      <Show when={exporting() && props.sheetId()}>
        {(sheetId) => (
          <ExportDialog
            session={props.session}
            sheetId={sheetId()}
            visibleRowIds={props.visibleRowIds}
            onClose={() => setExporting(false)}
          />
        )}
      </Show>
    </>
  )
}
