import type { Problem, Workbook } from '@taizhang/shared'
import { For, Show } from 'solid-js'
import type { SheetGridHandle } from '../../grid/makeSheetGrid'
import { locale, t } from '../../i18n'

/** The side panel listing the sheet's problems; a click jumps to the cell. */
export function ProblemsPanel(props: {
  workbook: Workbook
  sheetId: string | null
  problems: readonly Problem[]
  grid: SheetGridHandle | null
  onClose: () => void
}) {
  const sheet = () => {
    const id = props.sheetId
    return id && props.workbook.hasSheet(id) ? props.workbook.sheet(id) : null
  }
  return (
    <aside class="side-panel" data-testid="problems-panel">
      <header>
        <h3>{t('wb.problems', { n: props.problems.length })}</h3>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </header>
      <Show when={props.problems.length} fallback={<p class="muted">{t('wb.noProblems')}</p>}>
        <ul class="problem-list">
          <For each={props.problems.slice(0, 500)}>
            {(p) => {
              const s = sheet()
              const rowNo = () => (s ? s.rowIndex(p.rowId) + 1 : 0)
              const colName = () => s?.column(p.colId)?.name ?? p.colId
              return (
                <li>
                  <button
                    type="button"
                    class="link"
                    onClick={() => props.grid?.focusCell(p.rowId, p.colId)}
                  >
                    {t('problem.cell', { sheet: s?.name ?? '', row: rowNo(), col: colName() })}
                  </button>
                  <div class="muted">{locale() === 'en' ? p.message.en : p.message.zh}</div>
                </li>
              )
            }}
          </For>
        </ul>
      </Show>
    </aside>
  )
}
