import type { Problem } from '@taizhang/shared'
import { createEffect, on, onCleanup, onMount } from 'solid-js'
import { afterFirstPaint, markGridPainted } from '../app/afterPaint'
import type { Peer, WorkbookSession } from '../doc/openWorkbook'
import {
  type FocusedCell,
  makeSheetGrid,
  type SelectionInfo,
  type SheetGridHandle,
} from '../grid/makeSheetGrid'
import { locale, t } from '../i18n'
import { takeEarlyGrid } from './earlyGrid'

export interface SheetGridProps {
  session: WorkbookSession
  sheetId: string
  readOnly: boolean
  problems: readonly Problem[]
  peers: readonly Peer[]
  onReady: (handle: SheetGridHandle) => void
  onFocusChange: (cell: FocusedCell | null) => void
  onSelectionChange: (sel: SelectionInfo) => void
  onContextMenu: (at: { x: number; y: number }) => void
  onPasted: (report: { cells: number; unparsed: number; addedRows: number }) => void
  /** A key on the grid (no editor open): runs the command bound to it; true if one owns it. */
  onKey: (e: KeyboardEvent) => boolean
}

const gridText = () => ({
  unacked: t('status.unacked'),
  search: t('editor.search'),
  none: t('editor.none'),
  noMatch: t('editor.noMatch'),
})

/** AG Grid in a Solid component: created in onMount, destroyed in onCleanup, fed by effects. */
export function SheetGrid(props: SheetGridProps) {
  let host!: HTMLDivElement
  let handle: SheetGridHandle | undefined

  onMount(() => {
    performance.mark('tz:mount')
    const session = props.session
    handle = makeSheetGrid({
      container: host,
      workbook: session.workbook,
      sheet: session.workbook.sheet(props.sheetId),
      unacked: session.unacked,
      readOnly: props.readOnly,
      locale: locale(),
      text: gridText(),
      onFocusChange: props.onFocusChange,
      onSelectionChange: props.onSelectionChange,
      onContextMenu: props.onContextMenu,
      onPasted: props.onPasted,
      // The grid made while the workbook was read (the first sheet shown only).
      early: takeEarlyGrid(session.id),
      // issue 12 (grid-ui): frozen columns are saved per workbook and sheet on this device
      workbookId: session.id,
      onKey: (e) => props.onKey(e),
    })
    props.onReady(handle)
    afterFirstPaint(markGridPainted)
    onCleanup(() => {
      handle?.dispose()
      handle = undefined
    })
  })

  createEffect(
    on(
      () => props.readOnly,
      (ro) => handle?.setReadOnly(ro),
      { defer: true },
    ),
  )
  createEffect(on(locale, (l) => handle?.setLocale(l, gridText()), { defer: true }))
  createEffect(() => {
    const problems = props.problems
    const en = locale() === 'en'
    handle?.setProblems(problems, (p) => (en ? p.message.en : p.message.zh))
  })
  createEffect(() => {
    const marks = props.peers.flatMap((p) =>
      p.cursor && p.cursor.sheet === props.sheetId
        ? [
            {
              clientId: p.clientId,
              name: p.name,
              color: p.color,
              rowId: p.cursor.row,
              colId: p.cursor.col,
            },
          ]
        : [],
    )
    handle?.setPeers(marks)
  })

  return <div class="grid-host" ref={host} data-testid="grid" />
}
