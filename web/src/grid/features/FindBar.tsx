/**
 * The find bar (issue 12, "Search"): Ctrl+F opens it, Ctrl+H opens it with the replace row
 * (editors only). Enter / Shift+Enter go to the next / previous match (switching sheet when
 * searching every sheet), "3 / 17" shows where we are, Esc closes. Mounted as a toolbar extension
 * (it needs the session and `selectSheet`), rendered in a portal over the grid's top right.
 */
import type { Sheet } from '@taizhang/shared'
import { createSignal, onCleanup, onMount, Show } from 'solid-js'
import { Portal } from 'solid-js/web'
import {
  type CommandContext,
  matchesChord,
  registerCommands,
  type ToolbarExtensionProps,
  toolbarExtensions,
} from '../../app/toolbarExtensions'
import { t } from '../../i18n'
import { displayText } from '../renderers'
import { guardedSheetOf } from './access'
import {
  type FindMatch,
  findMatches,
  findState,
  liveGrid,
  onFindChange,
  replaceInValue,
  setFindState,
} from './find'
import './find.css'

/**
 * Replace rewrites text columns only: a number, date, enum or reference shows text that is not
 * what is stored, and rewriting it as typed text would break the value.
 */
const isText = (sheet: Sheet, colId: string) => sheet.column(colId)?.type === 'text'

export function FindBar(props: ToolbarExtensionProps) {
  const [st, setSt] = createSignal(findState(), { equals: false })
  const [replacement, setReplacement] = createSignal('')
  let input: HTMLInputElement | undefined
  const readOnly = () => props.session.readOnly()

  const recompute = (keepAt?: FindMatch | null) => {
    const s = findState()
    const wb = props.session.workbook
    const grid = liveGrid()
    if (!s.open || !grid) return setFindState({ matches: [], index: -1 })
    const current = props.sheetId()
    const ids = s.allSheets ? wb.listSheets().map((x) => x.id) : current ? [current] : []
    const order = (id: string) => (id === grid.sheetId ? (props.visibleRowIds?.() ?? null) : null)
    const matches = findMatches(
      wb,
      ids,
      s.query,
      (col, v) => displayText(grid.cells, col, v),
      order,
    )
    let index = matches.length ? 0 : -1
    if (keepAt) {
      const i = matches.findIndex(
        (m) => m.sheetId === keepAt.sheetId && m.rowId === keepAt.rowId && m.colId === keepAt.colId,
      )
      if (i >= 0) index = i
      else index = Math.min(s.index, matches.length - 1)
    }
    setFindState({ matches, index })
  }

  const go = (index: number) => {
    const s = findState()
    const m = s.matches[index]
    if (!m) return
    setFindState({ index })
    if (m.sheetId !== props.sheetId()) props.selectSheet(m.sheetId)
    // The new sheet's grid mounts on the next frames; focus it once it is live.
    let tries = 60
    const focus = () => {
      const g = liveGrid()
      if (g && g.sheetId === m.sheetId) {
        g.focus(m.rowId, m.colId)
        input?.focus()
      } else if (tries-- > 0) requestAnimationFrame(focus)
    }
    focus()
  }
  const step = (d: 1 | -1) => {
    const s = findState()
    if (!s.matches.length) return
    go((s.index + d + s.matches.length) % s.matches.length)
  }

  const replaceOne = () => {
    const s = findState()
    const m = s.matches[s.index]
    if (!m || readOnly()) return
    const sheet = props.session.workbook.sheet(m.sheetId)
    const next = isText(sheet, m.colId)
      ? replaceInValue(sheet.getCell(m.rowId, m.colId), s.query, replacement())
      : null
    // issue 16 (access-ui): a cell the rules refuse is skipped (and reported)
    if (next !== null)
      guardedSheetOf(props.session.workbook, m.sheetId).setCell(m.rowId, m.colId, next)
    recompute(s.matches[s.index + 1] ?? null)
    if (findState().index >= 0) go(findState().index)
  }
  /**
   * Every match listed (this sheet, or every sheet when searching all) in one transaction, so
   * one undo step takes it all back.
   */
  const replaceAll = () => {
    const s = findState()
    if (readOnly() || !s.matches.length) return
    const wb = props.session.workbook
    const bySheet = new Map<string, { row: string; col: string; value: string }[]>()
    for (const m of s.matches) {
      const sheet = wb.sheet(m.sheetId)
      if (!isText(sheet, m.colId)) continue
      const next = replaceInValue(sheet.getCell(m.rowId, m.colId), s.query, replacement())
      if (next === null) continue
      const list = bySheet.get(m.sheetId) ?? []
      list.push({ row: m.rowId, col: m.colId, value: next })
      bySheet.set(m.sheetId, list)
    }
    if (bySheet.size)
      wb.transact(() => {
        // issue 16 (access-ui): cells the rules refuse are skipped (and reported)
        for (const [sheetId, edits] of bySheet) guardedSheetOf(wb, sheetId).setCells(edits)
      })
    recompute()
  }

  onMount(() => {
    const offState = onFindChange(() => setSt(findState()))
    // Model changes move, add or drop matches; recompute on the next frame (coalesced).
    let frame = 0
    const later = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0
          const s = findState()
          recompute(s.matches[s.index] ?? null)
        })
    }
    const wb = props.session.workbook
    wb.doc.on('afterTransaction', later)
    // Ctrl+F / Ctrl+H anywhere on the workbook page (not only with the grid focused).
    const key = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return // the grid ran the command already
      if (matchesChord(e, 'Mod+F') || matchesChord(e, 'Mod+H')) {
        e.preventDefault()
        openFind(matchesChord(e, 'Mod+H') && !readOnly())
      }
    }
    window.addEventListener('keydown', key)
    onCleanup(() => {
      offState()
      cancelAnimationFrame(frame)
      wb.doc.off('afterTransaction', later)
      window.removeEventListener('keydown', key)
    })
  })

  const openFind = (replace: boolean) => {
    setFindState({ open: true, replace })
    recompute()
    requestAnimationFrame(() => {
      input?.focus()
      input?.select()
    })
  }
  opener = openFind

  const close = () => {
    setFindState({ open: false, replace: false, matches: [], index: -1 })
    const g = liveGrid()
    const f = g?.api.getFocusedCell()
    if (g && f) g.api.setFocusedCell(f.rowIndex, f.column)
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      step(e.shiftKey ? -1 : 1)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      close()
    }
  }

  const count = () => {
    const s = st()
    return s.matches.length ? `${s.index + 1} / ${s.matches.length}` : t('find.none')
  }

  return (
    <Show when={st().open}>
      <Portal>
        <section
          class="tz-find"
          aria-label={t('find.open')}
          data-testid="find-bar"
          onKeyDown={onKey}
        >
          <div class="tz-find-row">
            <input
              ref={input}
              type="search"
              data-testid="find-input"
              placeholder={t('find.placeholder')}
              aria-label={t('find.placeholder')}
              value={st().query}
              onInput={(e) => {
                setFindState({ query: e.currentTarget.value })
                recompute()
              }}
            />
            <span class="tz-find-count" data-testid="find-count" aria-live="polite">
              {st().query ? count() : ''}
            </span>
            <button type="button" title={t('find.prev')} onClick={() => step(-1)}>
              ↑
            </button>
            <button type="button" title={t('find.next')} onClick={() => step(1)}>
              ↓
            </button>
            <label class="tz-find-all">
              <input
                type="checkbox"
                data-testid="find-all-sheets"
                checked={st().allSheets}
                onChange={(e) => {
                  setFindState({ allSheets: e.currentTarget.checked })
                  recompute()
                }}
              />
              {t('find.allSheets')}
            </label>
            <button
              type="button"
              data-testid="find-close"
              title={t('find.close')}
              aria-label={t('find.close')}
              onClick={close}
            >
              ×
            </button>
          </div>
          <Show when={st().replace && !readOnly()}>
            <div class="tz-find-row">
              <input
                type="text"
                data-testid="replace-input"
                placeholder={t('find.replaceWith')}
                aria-label={t('find.replaceWith')}
                value={replacement()}
                onInput={(e) => setReplacement(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault()
                    e.stopPropagation()
                    replaceOne()
                  }
                }}
              />
              <button type="button" data-testid="replace-one" onClick={replaceOne}>
                {t('find.replace')}
              </button>
              <button type="button" data-testid="replace-all" onClick={replaceAll}>
                {t('find.replaceAll')}
              </button>
            </div>
          </Show>
        </section>
      </Portal>
    </Show>
  )
}

let opener: ((replace: boolean) => void) | null = null

registerCommands([
  {
    id: 'find',
    label: 'find.open',
    keys: ['Mod+F'],
    enabled: (ctx: CommandContext) => ctx.grid !== null,
    run: () => opener?.(false),
  },
  {
    id: 'replace',
    label: 'find.openReplace',
    keys: ['Mod+H'],
    enabled: (ctx: CommandContext) => ctx.grid !== null && !ctx.readOnly,
    run: () => opener?.(true),
  },
])
if (!toolbarExtensions.includes(FindBar)) toolbarExtensions.push(FindBar)
