import type { Problem, Workbook } from '@taizhang/shared'
import { createEffect, createSignal, For, Show } from 'solid-js'
import type { SheetGridHandle } from '../../grid/makeSheetGrid'
import { locale, t } from '../../i18n'
import { groupProblems, type ProblemsBySheet } from '../workbookProblems'

/** Problems listed per sheet before the panel says "and more". */
const MAX_PER_SHEET = 200

/**
 * The 问题 panel: every sheet's problems, grouped under the sheet's name in tab order. A click
 * jumps to the cell, switching sheets first when it is on another one.
 */
export function ProblemsBySheetPanel(props: {
  workbook: Workbook
  activeSheet: string | null
  bySheet: ProblemsBySheet
  total: number
  grid: SheetGridHandle | null
  selectSheet: (id: string) => void
  onClose: () => void
}) {
  // A jump to another sheet waits for that sheet's grid (a new handle) before focusing the cell.
  const [pending, setPending] = createSignal<{
    sheetId: string
    rowId: string
    colId: string
    from: SheetGridHandle | null
  } | null>(null)
  createEffect(() => {
    const p = pending()
    const grid = props.grid
    if (!p || !grid || grid === p.from || props.activeSheet !== p.sheetId) return
    setPending(null)
    grid.focusCell(p.rowId, p.colId)
  })
  const jump = (sheetId: string, problem: Problem) => {
    if (sheetId === props.activeSheet) {
      props.grid?.focusCell(problem.rowId, problem.colId)
      return
    }
    setPending({ sheetId, rowId: problem.rowId, colId: problem.colId, from: props.grid })
    props.selectSheet(sheetId)
  }
  const groups = () => groupProblems(props.workbook, props.bySheet)
  return (
    <aside class="side-panel" data-testid="problems-panel">
      <header>
        <h3>{t('wb.problems', { n: props.total })}</h3>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </header>
      {/* Warnings are listed even when no error is counted. */}
      <Show when={groups().length > 0} fallback={<p class="muted">{t('wb.noProblems')}</p>}>
        <For each={groups()}>
          {(g) => {
            const sheet = () => props.workbook.sheet(g.sheetId)
            return (
              <section class="problem-group" data-testid="problem-group" data-sheet-id={g.sheetId}>
                <h4>
                  {g.name} <span class="muted">({g.problems.length})</span>
                </h4>
                <ul class="problem-list">
                  <For each={g.problems.slice(0, MAX_PER_SHEET)}>
                    {(p) => (
                      <li>
                        <button type="button" class="link" onClick={() => jump(g.sheetId, p)}>
                          {t('problem.cell', {
                            sheet: g.name,
                            row: sheet().rowIndex(p.rowId) + 1,
                            col: sheet().column(p.colId)?.name ?? p.colId,
                          })}
                        </button>
                        <div class="muted">
                          <Show when={p.level === 'warning'}>
                            <span class="problem-warning" data-testid="problem-warning">
                              {t('problem.warning')}
                            </span>{' '}
                          </Show>
                          {locale() === 'en' ? p.message.en : p.message.zh}
                        </div>
                      </li>
                    )}
                  </For>
                </ul>
                <Show when={g.problems.length > MAX_PER_SHEET}>
                  <p class="muted">{t('problem.more', { n: g.problems.length - MAX_PER_SHEET })}</p>
                </Show>
              </section>
            )
          }}
        </For>
      </Show>
    </aside>
  )
}
