import {
  applyImportPlanStaged,
  type CellValue,
  COLUMN_TYPES,
  type Column,
  type ColumnMapping,
  type ColumnType,
  CSV_IMPORT,
  type CsvReadProgress,
  type CsvRefusal,
  delimiterLabel,
  describeRefusal,
  describeWarning,
  encodingLabel,
  formatValue,
  type ImportPlan,
  type ImportReport,
  type MisfitChoice,
  planCounts,
  previewPlan,
  type ValueColumn,
} from '@taizhang/shared'
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'
import { isPristineSheet } from '../home/blankSheet'
import { captureBeforeImport } from '../versions/api'
import { importOtherWorksheets } from '../xlsx/importMore'
import { xt } from '../xlsx/text'
import { XlsxSheetOptions } from '../xlsx/XlsxSheetOptions'
import { type CsvImporter, makeCsvImporter } from './importClient'
import { LabeledSelect } from './LabeledSelect'
import type { ReadSettings, ReadSummary, WorkerImportOptions, XlsxReadSettings } from './protocol'
import { removeReplacedBlank } from './replaceBlank'
import { csvLang, tx, typeLabel } from './text'

type Step =
  | { kind: 'reading'; progress: CsvReadProgress | null }
  | { kind: 'refused'; refusal: CsvRefusal }
  | { kind: 'mapping' }
  | { kind: 'planning' }
  | { kind: 'review'; plan: ImportPlan }
  | { kind: 'writing'; written: number; total: number }
  | { kind: 'done'; report: ImportReport | null; message?: string; more?: string[] }

const MB = 1024 * 1024

/**
 * The import dialog (rules CSV1–CSV7): reads the file in a worker with progress and cancel, shows the
 * detected encoding/delimiter/header with overrides, the column mapping, a preview, misfits with a
 * choice, the upsert key, old → new changes, and applies the plan as one undoable transaction.
 */
export function ImportDialog(props: {
  session: WorkbookSession
  file: File
  sheetId: string | null
  selectSheet: (id: string) => void
  onClose: () => void
  /** Tests inject a worker factory; the default is a module Worker. */
  importer?: CsvImporter
}) {
  const importer = props.importer ?? makeCsvImporter()
  let disposed = false
  onCleanup(() => {
    disposed = true
    importer.dispose()
  })
  const wb = props.session.workbook
  const [step, setStep] = createSignal<Step>({ kind: 'reading', progress: null })
  /** The current step when it is of this kind (a `<Show when>` that narrows the type). */
  const stepOf = <K extends Step['kind']>(kind: K) => {
    const s = step()
    return s.kind === kind ? (s as Extract<Step, { kind: K }>) : null
  }
  const [settings, setSettings] = createSignal<ReadSettings>({
    encoding: 'auto',
    delimiter: 'auto',
    header: 'auto',
  })
  const [summary, setSummary] = createSignal<ReadSummary | null>(null)
  const [mapping, setMapping] = createSignal<ColumnMapping[]>([])
  // A pristine sheet (a new blank workbook's, untouched) is replaced: the import goes to a new
  // sheet and the blank one is removed in the same undo step (issue #12).
  const blankId = isPristineSheet(wb, props.sheetId) ? props.sheetId : null
  const [toNew, setToNew] = createSignal(props.sheetId === null || blankId !== null)
  const replaceBlank = (importedId: string) => {
    if (toNew()) removeReplacedBlank(wb, props.session.undo, blankId, importedId)
  }
  const [newName, setNewName] = createSignal(
    props.file.name.replace(/\.(csv|txt|tsv|xlsx|xlsm)$/i, ''),
  )
  const [mode, setMode] = createSignal<'append' | 'upsert'>('append')
  const [key, setKey] = createSignal<number[]>([])
  const [onMisfit, setOnMisfit] = createSignal<MisfitChoice>('ask')
  const [percentStyle, setPercentStyle] = createSignal<'percent' | 'number'>('percent')
  // .xlsx (issue #15): worksheet and reader choices, other worksheets to import alongside.
  const [xlsxSettings, setXlsxSettings] = createSignal<XlsxReadSettings>({
    includeTotals: false,
    fillMerged: true,
  })
  const [extraSheets, setExtraSheets] = createSignal<string[]>([])
  let namedWorksheet: string | undefined

  const targetSheet = () =>
    !toNew() && props.sheetId && wb.hasSheet(props.sheetId) ? wb.sheet(props.sheetId) : undefined
  const targetColumns = (): Column[] => targetSheet()?.columns() ?? []

  const read = async () => {
    setStep({ kind: 'reading', progress: null })
    const r = await importer.read(
      props.file,
      { ...settings(), xlsx: xlsxSettings() },
      targetColumns(),
      (progress) => setStep({ kind: 'reading', progress }),
    )
    if (!r.ok) {
      setStep({ kind: 'refused', refusal: r.refusal })
      return
    }
    const notes = r.summary.xlsx?.notes
    if (notes && namedWorksheet !== notes.worksheet) {
      // A worksheet goes to a new sheet named after its title row (else the worksheet) by default.
      const first = namedWorksheet === undefined
      namedWorksheet = notes.worksheet
      setNewName(notes.title ?? notes.worksheet)
      setExtraSheets(extraSheets().filter((n) => n !== notes.worksheet))
      if (first && !toNew()) {
        setToNew(true)
        return read()
      }
    }
    setSummary(r.summary)
    setMapping(r.summary.mapping)
    setKey([])
    setStep({ kind: 'mapping' })
  }
  const fail = (e: unknown) =>
    setStep({ kind: 'refused', refusal: { kind: 'failed', detail: String(e) } })
  onMount(() => {
    read().catch((e: unknown) =>
      setStep({ kind: 'refused', refusal: { kind: 'failed', detail: String(e) } }),
    )
  })

  const reread = (patch: Partial<ReadSettings>) => {
    setSettings({ ...settings(), ...patch })
    read().catch(fail)
  }

  const referenceNames = (): Record<string, Record<string, string>> => {
    const out: Record<string, Record<string, string>> = {}
    for (const c of targetColumns()) {
      if (
        c.type !== 'reference' ||
        !c.format.refSheet ||
        !c.format.refColumn ||
        !wb.hasSheet(c.format.refSheet)
      )
        continue
      const ref = wb.sheet(c.format.refSheet)
      const names: Record<string, string> = {}
      for (const r of ref.readRows()) {
        const v = r.cells[c.format.refColumn]
        if (v !== null && v !== undefined && !(String(v) in names)) names[String(v)] = r.id
      }
      out[c.id] = names
    }
    return out
  }

  const plan = async () => {
    setStep({ kind: 'planning' })
    const options: WorkerImportOptions = {
      mode: mode(),
      onMisfit: onMisfit(),
      percentStyle: percentStyle(),
      referenceNames: referenceNames(),
      ...(mode() === 'upsert' ? { key: key() } : {}),
    }
    const sheet = targetSheet()
    const rows = mode() === 'upsert' && sheet ? sheet.readRows() : null
    const r = await importer.plan(mapping(), targetColumns(), rows, options)
    if (!r.ok) {
      if (r.refusal.kind === 'cancelled') setStep({ kind: 'mapping' })
      else setStep({ kind: 'refused', refusal: r.refusal })
      return
    }
    setStep({ kind: 'review', plan: r.plan })
  }

  /**
   * A big plan is written in slices the grid and other clients don't show yet, then published in
   * one undoable transaction (`applyImportPlanStaged`): the page keeps painting and taking input.
   * There is no cancel once writing started; closing the page meanwhile leaves only invisible rows.
   */
  const apply = async (p: ImportPlan) => {
    const sheet = targetSheet()
    const dest = sheet
      ? { sheetId: sheet.id }
      : { newSheetName: uniqueSheetName(newName().trim() || 'CSV') }
    setStep({ kind: 'writing', written: 0, total: p.adds.count })
    // versions-web (issue 13 §3): the server keeps a version before every import (CSV and Excel
    // both apply here); offline or refused, it is skipped silently and the import goes on.
    await captureBeforeImport(props.session.id, props.file.name)
    if (disposed) return
    const r = await applyImportPlanStaged(wb, dest, p, {
      onProgress: (written, total) => setStep({ kind: 'writing', written, total }),
      aborted: () => disposed,
    })
    if (disposed) return
    if (!r.ok) {
      setStep({ kind: 'refused', refusal: r.refusal })
      return
    }
    replaceBlank(r.report.sheetId)
    let more: string[] | undefined
    if (summary()?.xlsx && extraSheets().length > 0) {
      const done = await importOtherWorksheets({
        importer,
        file: props.file,
        names: extraSheets(),
        settings: { ...settings(), xlsx: xlsxSettings() },
        wb,
        sheetName: uniqueSheetName,
        aborted: () => disposed,
      })
      if (disposed) return
      more = done.lines
    }
    setStep({ kind: 'done', report: r.report, ...(more ? { more } : {}) })
    // Switching sheets builds a grid: a task of its own, not the publish's.
    await new Promise((resolve) => setTimeout(resolve, 0))
    props.selectSheet(r.report.sheetId)
  }

  const uniqueSheetName = (base: string) => {
    const names = new Set(wb.listSheets().map((s) => s.name))
    let n = base
    for (let i = 2; names.has(n); i++) n = `${base} (${i})`
    return n
  }

  /** Header-only file: create the columns (as text) in one undoable step. */
  const createColumns = (header: string[]) => {
    const sheet = targetSheet()
    const existing = new Set(targetColumns().map((c) => c.name))
    let sheetId = sheet?.id ?? ''
    wb.transact(() => {
      if (!sheet) sheetId = wb.addSheet(uniqueSheetName(newName().trim() || 'CSV'))
      const s = wb.sheet(sheetId)
      for (const h of header) if (!existing.has(h)) s.addColumn({ name: h, type: 'text' })
    }, CSV_IMPORT)
    replaceBlank(sheetId)
    props.selectSheet(sheetId)
    setStep({
      kind: 'done',
      report: null,
      message: tx('columnsCreated', { n: header.filter((h) => !existing.has(h)).length }),
    })
  }

  const setTarget = (source: number, value: string) => {
    const s = summary()
    if (!s) return
    const orig = s.mapping[source]
    setMapping(
      mapping().map((m) => {
        if (m.source !== source) return m
        if (value === 'skip') return { source, target: { kind: 'skip' }, reason: 'user' }
        if (value === 'new') {
          const inferred = orig?.target.kind === 'new' ? orig.target : undefined
          return {
            source,
            target: inferred ?? { kind: 'new', name: s.table.header[source] ?? '', type: 'text' },
            reason: 'user',
          }
        }
        return { source, target: { kind: 'existing', colId: value.slice(4) }, reason: 'user' }
      }),
    )
  }
  const setNewType = (source: number, type: ColumnType) =>
    setMapping(
      mapping().map((m) =>
        m.source === source && m.target.kind === 'new'
          ? { ...m, target: { kind: 'new', name: m.target.name, type } }
          : m,
      ),
    )
  const targetValue = (m: ColumnMapping) =>
    m.target.kind === 'existing' ? `col:${m.target.colId}` : m.target.kind

  const cellText = (v: CellValue, col: ValueColumn) =>
    v === null ? '' : formatValue(v, col, { locale: csvLang() === 'en' ? 'en' : 'zh-CN' })

  return (
    <div class="modal-backdrop" data-testid="csv-import-dialog">
      <div
        class="modal csv-modal"
        style={{ width: 'min(960px, 96vw)', 'max-height': '92vh', overflow: 'auto' }}
      >
        <h3>
          {tx('import')} · {props.file.name}
        </h3>

        <Show when={step().kind === 'reading' || step().kind === 'planning'}>
          <div data-testid="csv-progress">
            <Show when={step().kind === 'reading'} fallback={<p>{tx('planning')}</p>}>
              <p>{tx('reading', { name: props.file.name })}</p>
              {(() => {
                const s = step()
                const p = s.kind === 'reading' ? s.progress : null
                return (
                  <>
                    <progress
                      max={props.file.size || 1}
                      value={p?.bytesRead ?? 0}
                      style={{ width: '100%' }}
                    />
                    <p>
                      {tx('progress', {
                        mb: ((p?.bytesRead ?? 0) / MB).toFixed(1),
                        total: (props.file.size / MB).toFixed(1),
                        rows: p?.rows ?? 0,
                      })}
                    </p>
                  </>
                )
              })()}
            </Show>
            <div class="modal-actions">
              <button
                type="button"
                class="btn"
                data-testid="csv-cancel"
                onClick={() => {
                  importer.cancel()
                  if (step().kind === 'reading') props.onClose()
                  else setStep({ kind: 'mapping' })
                }}
              >
                {tx('cancel')}
              </button>
            </div>
          </div>
        </Show>

        <Show when={stepOf('refused')}>
          {(s) => (
            <div data-testid="csv-refused">
              <p class="banner warn" role="alert">
                {describeRefusal(s().refusal, csvLang())}
              </p>
              <div class="modal-actions">
                <Show
                  when={(() => {
                    const r = s().refusal
                    return r.kind === 'header-only' ? r.header : null
                  })()}
                >
                  {(h) => (
                    <button
                      type="button"
                      class="btn primary"
                      disabled={props.session.readOnly()}
                      onClick={() => createColumns(h())}
                    >
                      {tx('createColumns')}
                    </button>
                  )}
                </Show>
                <Show when={summary() && s().refusal.kind !== 'header-only'}>
                  <button type="button" class="btn" onClick={() => setStep({ kind: 'mapping' })}>
                    {tx('back')}
                  </button>
                </Show>
                <button type="button" class="btn" onClick={props.onClose}>
                  {tx('close')}
                </button>
              </div>
            </div>
          )}
        </Show>

        <Show when={step().kind === 'mapping' && summary()}>
          {(sum) => (
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
                  <option value="auto">
                    {tx('auto', { value: encodingLabel(sum().encoding) })}
                  </option>
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
                <LabeledSelect
                  label={tx('mode')}
                  testId="csv-mode"
                  value={mode()}
                  onChange={setMode}
                >
                  <option value="append">{tx('append')}</option>
                  <option value="upsert" disabled={toNew()}>
                    {tx('upsert')}
                  </option>
                </LabeledSelect>
                <LabeledSelect
                  label={tx('percentStyle')}
                  value={percentStyle()}
                  onChange={setPercentStyle}
                >
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
                              <small>
                                {' '}
                                ({tx('renamed', { from: r().from || '∅', to: r().to })})
                              </small>
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
                                onChange={(e) =>
                                  setNewType(m.source, e.currentTarget.value as ColumnType)
                                }
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
          )}
        </Show>

        <Show when={stepOf('review')?.plan}>
          {(p) => {
            const counts = () => planCounts(p())
            const rows = () => previewPlan(p())
            return (
              <div data-testid="csv-review">
                <Show when={p().misfits.length > 0}>
                  <div class="banner warn" data-testid="csv-misfits">
                    <strong>{tx('misfits')}</strong>
                    <For each={p().misfits}>
                      {(m) => (
                        <div>
                          {tx('misfitLine', {
                            column: m.column,
                            type: typeLabel(m.type),
                            count: m.count,
                            examples: m.examples
                              .map((e) => `${tx('line', { n: e.line })} “${e.input}”`)
                              .join(', '),
                          })}
                        </div>
                      )}
                    </For>
                    <div>
                      {tx('misfitChoice')}{' '}
                      <For
                        each={
                          [
                            { choice: 'text', testId: 'csv-misfit-text', label: tx('asText') },
                            {
                              choice: 'skip-rows',
                              testId: 'csv-misfit-skip',
                              label: tx('skipRows'),
                            },
                          ] as const
                        }
                      >
                        {(o) => (
                          <label>
                            <input
                              type="radio"
                              name="misfit"
                              data-testid={o.testId}
                              checked={onMisfit() === o.choice}
                              onChange={() => {
                                setOnMisfit(o.choice)
                                plan().catch(fail)
                              }}
                            />{' '}
                            {o.label}{' '}
                          </label>
                        )}
                      </For>
                    </div>
                  </div>
                </Show>
                <p data-testid="csv-summary">{tx('summary', counts())}</p>
                <Show when={p().noData.count > 0}>
                  <p data-testid="import-no-data">{tx('noData', { n: p().noData.count })}</p>
                </Show>
                <Show when={p().approximate.count > 0}>
                  <p>{tx('approximate', { n: p().approximate.count })}</p>
                </Show>
                <For each={p().skipped}>
                  {(s) => (
                    <p>
                      {tx('skippedWhy', {
                        n: s.count,
                        why: tx(s.reason),
                        lines: s.lines.join(', '),
                      })}
                    </p>
                  )}
                </For>
                <h4>{tx('changes')}</h4>
                <table class="csv-preview-table" data-testid="csv-preview">
                  <thead>
                    <tr>
                      <th />
                      <For each={p().targets}>{(t) => <th>{t.name}</th>}</For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(r) => (
                        <tr>
                          <td>
                            <small>
                              {tx('line', { n: r.line })} ·{' '}
                              {r.kind === 'add' ? tx('added') : tx('updated')}
                            </small>
                          </td>
                          <For each={p().targets}>
                            {(t, i) => {
                              if (r.kind === 'add')
                                return <td>{cellText(r.values[i()] ?? null, t.column)}</td>
                              const c = r.changes.find((x) => x.target === i())
                              return (
                                <td>
                                  <Show
                                    when={c}
                                    fallback={
                                      <span style={{ color: '#888' }}>
                                        {cellText(r.values[i()] ?? null, t.column)}
                                      </span>
                                    }
                                  >
                                    {(ch) => (
                                      <>
                                        <s>{cellText(ch().old, t.column)}</s> →{' '}
                                        <b>{cellText(ch().new, t.column)}</b>
                                      </>
                                    )}
                                  </Show>
                                </td>
                              )
                            }}
                          </For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <div class="modal-actions">
                  <button type="button" class="btn" onClick={() => setStep({ kind: 'mapping' })}>
                    {tx('back')}
                  </button>
                  <button type="button" class="btn" onClick={props.onClose}>
                    {tx('cancel')}
                  </button>
                  <button
                    type="button"
                    class="btn primary"
                    data-testid="csv-apply"
                    disabled={p().needsDecision || props.session.readOnly()}
                    onClick={() => void apply(p()).catch(fail)}
                  >
                    {tx('doImport')}
                  </button>
                </div>
              </div>
            )
          }}
        </Show>

        <Show when={stepOf('writing')}>
          {(s) => (
            <div data-testid="csv-writing">
              <p>{tx('writing', { written: s().written, total: s().total })}</p>
              <progress max={s().total || 1} value={s().written} style={{ width: '100%' }} />
            </div>
          )}
        </Show>

        <Show when={stepOf('done')}>
          {(s) => (
            <div data-testid="csv-done">
              <p>
                {s().message ??
                  (s().report ? tx('done', s().report as unknown as Record<string, number>) : '')}
              </p>
              <Show when={s().more}>
                {(more) => (
                  <p data-testid="xlsx-more-done">{xt('moreDone', { list: more().join('；') })}</p>
                )}
              </Show>
              <div class="modal-actions">
                <button
                  type="button"
                  class="btn primary"
                  data-testid="csv-close"
                  onClick={props.onClose}
                >
                  {tx('close')}
                </button>
              </div>
            </div>
          )}
        </Show>
      </div>
    </div>
  )
}
