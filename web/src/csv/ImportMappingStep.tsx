import {
  COLUMN_TYPES,
  type ColumnType,
  delimiterLabel,
  describeWarning,
  encodingLabel,
} from '@taizhang/shared'
import { type Accessor, For, Show } from 'solid-js'
import { xt } from '../xlsx/text'
import { XlsxSheetOptions } from '../xlsx/XlsxSheetOptions'
import type { ImportDialogProps, ImportFlow } from './importFlow'
import { LabeledSelect } from './LabeledSelect'
import type { ReadSummary } from './protocol'
import { csvLang, tx, typeLabel } from './text'

/** The import dialog's mapping step: reader settings, destination, mode, the column mapping. */
export function ImportMappingStep(
  props: ImportDialogProps & { flow: ImportFlow; sum: Accessor<ReadSummary> },
) {
  const {
    wb,
    settings,
    mapping,
    blankId,
    toNew,
    setToNew,
    newName,
    setNewName,
    mode,
    setMode,
    key,
    setKey,
    percentStyle,
    setPercentStyle,
    xlsxSettings,
    setXlsxSettings,
    extraSheets,
    setExtraSheets,
    targetColumns,
    read,
    fail,
    reread,
    plan,
    setTarget,
    setNewType,
    targetValue,
  } = props.flow
  const sum = props.sum
  return (
    <div data-testid="csv-mapping">
      <p>
        {sum().xlsx
          ? xt('workbookInfo', { bytes: sum().bytes, rows: sum().table.rowCount })
          : tx('detected', { bytes: sum().bytes, rows: sum().table.rowCount })}
      </p>
      <Show when={sum().xlsx}>
        {(x) => (
          <XlsxSheetOptions
            worksheets={x().worksheets}
            notes={x().notes}
            settings={xlsxSettings()}
            onChange={(patch) => {
              setXlsxSettings({ ...xlsxSettings(), ...patch })
              read().catch(fail)
            }}
            extra={extraSheets()}
            onExtra={setExtraSheets}
          />
        )}
      </Show>
      <div
        class="csv-settings"
        style={{ display: sum().xlsx ? 'none' : 'flex', gap: '12px', 'flex-wrap': 'wrap' }}
      >
        <LabeledSelect
          label={tx('encoding')}
          testId="csv-encoding"
          value={settings().encoding}
          onChange={(encoding) => reread({ encoding })}
        >
          <option value="auto">{tx('auto', { value: encodingLabel(sum().encoding) })}</option>
          <option value="utf-8">UTF-8</option>
          <option value="gb18030">GB18030 (GBK)</option>
          <option value="utf-16le">UTF-16 LE</option>
          <option value="utf-16be">UTF-16 BE</option>
        </LabeledSelect>
        <LabeledSelect
          label={tx('delimiter')}
          testId="csv-delimiter"
          value={settings().delimiter}
          onChange={(delimiter) => reread({ delimiter })}
        >
          <option value="auto">
            {tx('auto', {
              value: delimiterLabel(String(sum().table.delimiter), csvLang()),
            })}
          </option>
          <For each={[',', ';', '\t', '|']}>
            {(d) => <option value={d}>{delimiterLabel(d, csvLang())}</option>}
          </For>
        </LabeledSelect>
        <label>
          <input
            type="checkbox"
            data-testid="csv-header"
            checked={sum().table.hasHeader}
            onChange={(e) => reread({ header: e.currentTarget.checked })}
          />{' '}
          {tx('header')}
        </label>
      </div>
      <For each={sum().table.warnings}>
        {(w) => <p class="banner info">{describeWarning(w, csvLang())}</p>}
      </For>

      <div style={{ display: 'flex', gap: '12px', 'flex-wrap': 'wrap', margin: '8px 0' }}>
        <LabeledSelect
          label={tx('destination')}
          testId="csv-destination"
          value={toNew() ? 'new' : 'current'}
          onChange={(to) => {
            setToNew(to === 'new')
            read().catch(fail)
          }}
        >
          <Show when={props.sheetId && wb.hasSheet(props.sheetId)}>
            <option value="current">
              {tx('currentSheet', {
                name: props.sheetId ? wb.sheet(props.sheetId).name : '',
              })}
            </option>
          </Show>
          <option value="new">{tx('newSheet')}</option>
        </LabeledSelect>
        <Show when={toNew() && blankId && wb.hasSheet(blankId)}>
          <p class="banner info" data-testid="csv-replaces-blank">
            {tx('replacesBlank', { name: blankId ? wb.sheet(blankId).name : '' })}
          </p>
        </Show>
        <Show when={toNew()}>
          <label>
            {tx('newSheetName')}{' '}
            <input value={newName()} onInput={(e) => setNewName(e.currentTarget.value)} />
          </label>
        </Show>
        <LabeledSelect label={tx('mode')} testId="csv-mode" value={mode()} onChange={setMode}>
          <option value="append">{tx('append')}</option>
          <option value="upsert" disabled={toNew()}>
            {tx('upsert')}
          </option>
        </LabeledSelect>
        <LabeledSelect label={tx('percentStyle')} value={percentStyle()} onChange={setPercentStyle}>
          <option value="percent">{tx('percentPoints')}</option>
          <option value="number">{tx('percentFraction')}</option>
        </LabeledSelect>
      </div>

      <h4>{tx('mapping')}</h4>
      <table class="csv-mapping-table" data-testid="csv-mapping-table">
        <thead>
          <tr>
            <th>{tx('csvColumn')}</th>
            <th>{tx('target')}</th>
            <Show when={mode() === 'upsert'}>
              <th>{tx('key')}</th>
            </Show>
            <th>{tx('preview', { n: Math.min(3, sum().preview.length) })}</th>
          </tr>
        </thead>
        <tbody>
          <For each={mapping()}>
            {(m) => (
              <tr data-testid={`csv-map-${m.source}`}>
                <td>
                  {sum().table.header[m.source]}
                  <Show when={sum().table.renamedHeaders.find((r) => r.index === m.source)}>
                    {(r) => (
                      <small> ({tx('renamed', { from: r().from || '∅', to: r().to })})</small>
                    )}
                  </Show>
                </td>
                <td>
                  <select
                    value={targetValue(m)}
                    onChange={(e) => setTarget(m.source, e.currentTarget.value)}
                  >
                    <option value="skip">{tx('skip')}</option>
                    <option value="new">{tx('newColumn')}</option>
                    <For each={targetColumns()}>
                      {(c) => (
                        <option value={`col:${c.id}`}>
                          {c.name} · {typeLabel(c.type)}
                        </option>
                      )}
                    </For>
                  </select>
                  <Show when={m.target.kind === 'new' ? m.target : null}>
                    {(t) => (
                      <select
                        value={t().type}
                        onChange={(e) => setNewType(m.source, e.currentTarget.value as ColumnType)}
                      >
                        <For each={COLUMN_TYPES.filter((x) => x !== 'reference')}>
                          {(ty) => <option value={ty}>{typeLabel(ty)}</option>}
                        </For>
                      </select>
                    )}
                  </Show>
                </td>
                <Show when={mode() === 'upsert'}>
                  <td>
                    <input
                      type="checkbox"
                      data-testid={`csv-key-${m.source}`}
                      checked={key().includes(m.source)}
                      disabled={m.target.kind === 'skip'}
                      onChange={(e) =>
                        setKey(
                          e.currentTarget.checked
                            ? [...key(), m.source]
                            : key().filter((k) => k !== m.source),
                        )
                      }
                    />
                  </td>
                </Show>
                <td>
                  <small>
                    {sum()
                      .preview.slice(0, 3)
                      .map((r) => r[m.source] ?? '')
                      .join(' · ')}
                  </small>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="modal-actions">
        <button type="button" class="btn" onClick={props.onClose}>
          {tx('cancel')}
        </button>
        <button
          type="button"
          class="btn primary"
          data-testid="csv-check"
          disabled={props.session.readOnly() || (mode() === 'upsert' && key().length === 0)}
          onClick={() => plan().catch(fail)}
        >
          {props.session.readOnly() ? tx('readOnly') : tx('check')}
        </button>
      </div>
    </div>
  )
}
