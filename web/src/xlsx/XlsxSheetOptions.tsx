import type { XlsxSheetNotes, XlsxWorksheetInfo } from '@taizhang/shared/xlsx'
import { For, Show } from 'solid-js'
import type { XlsxReadSettings } from '../csv/protocol'
import { xt } from './text'

/**
 * The .xlsx part of the import dialog's mapping step (issue #15 §1): the worksheet to read, other
 * worksheets to import alongside into sheets of their own, the 合计-row and merged-cell toggles,
 * and what the reader noticed (title, merged header, formulas, hidden rows and columns).
 */
export function XlsxSheetOptions(props: {
  worksheets: XlsxWorksheetInfo[]
  notes: XlsxSheetNotes
  settings: XlsxReadSettings
  onChange: (patch: Partial<XlsxReadSettings>) => void
  /** Other worksheets chosen to import too. */
  extra: string[]
  onExtra: (names: string[]) => void
}) {
  const others = () => props.worksheets.filter((w) => w.name !== props.notes.worksheet)
  const n = props.notes
  return (
    <div class="xlsx-options" data-testid="xlsx-options">
      <div style={{ display: 'flex', gap: '12px', 'flex-wrap': 'wrap', 'align-items': 'center' }}>
        <label>
          {xt('worksheet')}{' '}
          <select
            data-testid="xlsx-worksheet"
            value={props.notes.worksheet}
            onChange={(e) => props.onChange({ worksheet: e.currentTarget.value })}
          >
            <For each={props.worksheets}>
              {(w) => (
                <option value={w.name}>
                  {w.name}
                  {w.hidden ? xt('hiddenSheet') : ''}
                </option>
              )}
            </For>
          </select>
        </label>
        <Show when={n.totals}>
          {(t) => (
            <label>
              <input
                type="checkbox"
                data-testid="xlsx-include-totals"
                checked={props.settings.includeTotals}
                onChange={(e) => props.onChange({ includeTotals: e.currentTarget.checked })}
              />{' '}
              {xt('includeTotals', { label: t().label, line: t().line })}
            </label>
          )}
        </Show>
        <Show when={n.mergedBody.count > 0}>
          <label>
            <input
              type="checkbox"
              data-testid="xlsx-fill-merged"
              checked={props.settings.fillMerged}
              onChange={(e) => props.onChange({ fillMerged: e.currentTarget.checked })}
            />{' '}
            {xt('fillMerged')} ({xt('merged', { n: n.mergedBody.count })})
          </label>
        </Show>
      </div>
      <Show when={others().length > 0}>
        <div data-testid="xlsx-also">
          {xt('alsoImport')}{' '}
          <For each={others()}>
            {(w) => (
              <label style={{ 'margin-right': '10px' }}>
                <input
                  type="checkbox"
                  data-testid={`xlsx-also-${w.name}`}
                  checked={props.extra.includes(w.name)}
                  onChange={(e) =>
                    props.onExtra(
                      e.currentTarget.checked
                        ? [...props.extra, w.name]
                        : props.extra.filter((x) => x !== w.name),
                    )
                  }
                />{' '}
                {w.name}
              </label>
            )}
          </For>
        </div>
      </Show>
      <div data-testid="xlsx-notes">
        <Show when={n.title}>
          <p class="banner info">
            {xt('titleSkipped', { rows: n.titleRows.join('、'), title: n.title ?? '' })}
          </p>
        </Show>
        <Show when={n.headerRows.length > 1}>
          <p class="banner info">{xt('headerMerged', { rows: n.headerRows.join('–') })}</p>
        </Show>
        <Show when={n.totals && !n.totals.included ? n.totals : null}>
          {(t) => (
            <p class="banner info">{xt('totalsLeftOut', { line: t().line, label: t().label })}</p>
          )}
        </Show>
        <Show when={n.formulas.count > 0}>
          <p class="banner info">
            {xt('formulas', {
              n: n.formulas.count,
              examples: n.formulas.examples.map((e) => `${e.column} ${e.formula}`).join(', '),
            })}
          </p>
        </Show>
        <Show when={n.hiddenRows.count > 0}>
          <p class="banner info">
            {xt('hiddenRows', { n: n.hiddenRows.count, lines: n.hiddenRows.lines.join(', ') })}
          </p>
        </Show>
        <Show when={n.hiddenColumns.length > 0}>
          <p class="banner info">{xt('hiddenColumns', { names: n.hiddenColumns.join('、') })}</p>
        </Show>
        <Show when={n.date1904}>
          <p class="banner info">{xt('date1904')}</p>
        </Show>
      </div>
    </div>
  )
}
