import { exportSheetCsv } from '@taizhang/shared'
import { createSignal, Show } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'
import { dialogKeys } from '../workbook/dialogKeys'
import { downloadXlsx } from '../xlsx/exportXlsxFile'
import { xt } from '../xlsx/text'
import { downloadBytes, safeFileName } from './download'
import { LabeledSelect } from './LabeledSelect'
import { tx } from './text'

type EncodingChoice = 'utf-8-bom' | 'utf-8' | 'gb18030'

/**
 * The export dialog (rules CSV8, CSV9): encoding (UTF-8 with BOM by default, or GB18030), percent style,
 * and all rows or the grid's current filter and sort when the host passes `visibleRowIds`.
 */
export function ExportDialog(props: {
  session: WorkbookSession
  sheetId: string
  visibleRowIds?: (() => string[] | null) | undefined
  onClose: () => void
}) {
  const wb = props.session.workbook
  const keys = dialogKeys(() => props.onClose())
  const sheet = () => wb.sheet(props.sheetId)
  const [encoding, setEncoding] = createSignal<EncodingChoice>('utf-8-bom')
  const [percent, setPercent] = createSignal<'percent' | 'number'>('percent')
  const view = () => props.visibleRowIds?.() ?? null
  const [scope, setScope] = createSignal<'all' | 'view'>('all')
  const [warning, setWarning] = createSignal<string | null>(null)
  // .xlsx (issue #15 §2): this sheet or the whole workbook, an optional title row.
  const [format, setFormat] = createSignal<'csv' | 'xlsx'>('csv')
  const [books, setBooks] = createSignal<'sheet' | 'all'>('sheet')
  const [titleRow, setTitleRow] = createSignal(false)
  const [busy, setBusy] = createSignal(false)

  const runXlsx = async () => {
    const rowIds = scope() === 'view' ? view() : null
    setBusy(true)
    try {
      await downloadXlsx(wb, {
        ...(books() === 'sheet'
          ? { sheet: { sheetId: props.sheetId, ...(rowIds ? { rowIds } : {}) } }
          : {}),
        titleRow: titleRow(),
        fileName: books() === 'sheet' ? sheet().name : wb.meta().title || sheet().name,
      })
      props.onClose()
    } catch (e) {
      setWarning(xt('exportFailed', { reason: String(e) }))
    } finally {
      setBusy(false)
    }
  }

  const run = () => {
    if (format() === 'xlsx') {
      void runXlsx()
      return
    }
    const rowIds = scope() === 'view' ? view() : null
    const result = exportSheetCsv(wb, props.sheetId, {
      encoding: encoding() === 'gb18030' ? 'gb18030' : 'utf-8',
      bom: encoding() === 'utf-8-bom',
      percentStyle: percent(),
      ...(rowIds ? { rowIds } : {}),
    })
    downloadBytes(result.bytes, safeFileName(sheet().name))
    if (result.unmappable > 0) setWarning(tx('unmappable', { n: result.unmappable }))
    else props.onClose()
  }

  return (
    <div class="modal-backdrop" data-testid="csv-export-dialog">
      <div class="modal" ref={keys} role="dialog" aria-modal="true">
        <h3>
          {tx('exportTitle')} · {sheet().name}
        </h3>
        <LabeledSelect
          label={xt('format')}
          testId="export-format"
          value={format()}
          onChange={setFormat}
        >
          <option value="csv">{xt('formatCsv')}</option>
          <option value="xlsx">{xt('formatXlsx')}</option>
        </LabeledSelect>
        <Show
          when={format() === 'xlsx'}
          fallback={
            <>
              <LabeledSelect
                label={tx('encoding')}
                testId="csv-export-encoding"
                value={encoding()}
                onChange={setEncoding}
              >
                <option value="utf-8-bom">{tx('utf8bom')}</option>
                <option value="utf-8">{tx('utf8')}</option>
                <option value="gb18030">{tx('gb18030')}</option>
              </LabeledSelect>
              <LabeledSelect label={tx('percentAs')} value={percent()} onChange={setPercent}>
                <option value="percent">{tx('percentText')}</option>
                <option value="number">{tx('percentNumber')}</option>
              </LabeledSelect>
            </>
          }
        >
          <LabeledSelect
            label={xt('xlsxScope')}
            testId="xlsx-export-scope"
            value={books()}
            onChange={setBooks}
          >
            <option value="sheet">{xt('thisSheet')}</option>
            <option value="all">{xt('allSheets')}</option>
          </LabeledSelect>
          <label>
            <input
              type="checkbox"
              data-testid="xlsx-title-row"
              checked={titleRow()}
              onChange={(e) => setTitleRow(e.currentTarget.checked)}
            />{' '}
            {xt('titleRow')}
          </label>
        </Show>
        <LabeledSelect
          label={tx('rows')}
          testId="csv-export-scope"
          value={scope()}
          onChange={setScope}
        >
          <option value="all">{tx('allRows', { n: sheet().rowCount() })}</option>
          <Show when={view()}>
            {(v) => <option value="view">{tx('viewRows', { n: v().length })}</option>}
          </Show>
        </LabeledSelect>
        <Show when={warning()}>{(w) => <p class="banner warn">{w()}</p>}</Show>
        <div class="modal-actions">
          <button type="button" class="btn" onClick={props.onClose}>
            {tx('close')}
          </button>
          <button
            type="button"
            class="btn primary"
            data-testid="csv-export-download"
            disabled={busy()}
            onClick={run}
          >
            {busy() ? xt('exporting') : tx('download')}
          </button>
        </div>
      </div>
    </div>
  )
}
