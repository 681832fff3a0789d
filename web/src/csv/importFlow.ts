import {
  applyImportPlanStaged,
  type CellValue,
  type Column,
  type ColumnMapping,
  type ColumnType,
  CSV_IMPORT,
  type CsvReadProgress,
  type CsvRefusal,
  checkImportPlan,
  formatValue,
  type ImportPlan,
  type ImportReport,
  type MisfitChoice,
  type ValueColumn,
} from '@taizhang/shared'
import { createSignal, onCleanup, onMount } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'
import { isPristineSheet } from '../home/blankSheet'
import { captureBeforeImport } from '../versions/api'
import { importOtherWorksheets } from '../xlsx/importMore'
import { type CsvImporter, makeCsvImporter, releasingImporter } from './importClient'
import type { ReadSettings, ReadSummary, WorkerImportOptions, XlsxReadSettings } from './protocol'
import { removeReplacedBlank } from './replaceBlank'
import { csvLang, tx } from './text'

type Step =
  | { kind: 'reading'; progress: CsvReadProgress | null }
  | { kind: 'refused'; refusal: CsvRefusal }
  | { kind: 'mapping' }
  | { kind: 'planning' }
  | { kind: 'review'; plan: ImportPlan }
  | { kind: 'writing'; written: number; total: number }
  | { kind: 'done'; report: ImportReport | null; message?: string; more?: string[] }

export interface ImportDialogProps {
  session: WorkbookSession
  file: File
  sheetId: string | null
  selectSheet: (id: string) => void
  onClose: () => void
  /** Tests inject a worker factory; the default is a module Worker. */
  importer?: CsvImporter
}

/**
 * The import dialog's state and actions (rules CSV1–CSV7, issue #15 for workbooks): read in the
 * worker, the mapping, the plan, the staged apply. `ImportDialog` and its steps
 * (`ImportMappingStep`, `ImportReviewStep`) render it. Needs a Solid owner.
 */
export function createImportFlow(props: ImportDialogProps) {
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

  /**
   * Set once the worker was told to let go of the file (before an apply): planning again (back
   * from a refused apply) reads the file again first, with the same settings.
   */
  let released = false

  const read = async () => {
    setStep({ kind: 'reading', progress: null })
    released = false
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
    if (released) {
      const again = await importer.read(
        props.file,
        { ...settings(), xlsx: xlsxSettings() },
        targetColumns(),
        () => {},
      )
      if (!again.ok) {
        setStep({ kind: 'refused', refusal: again.refusal })
        return
      }
      released = false
    }
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
    // Memory (issue #15: peak ≤ 6× the file): the worker's table and opened workbook are not
    // needed once the plan is here, unless more worksheets of the workbook are to be imported
    // (the book is kept for them, dropped after the last). The plan's refusals are checked first,
    // so a refused apply (back to the mapping) usually still finds the file in the worker.
    const more = summary()?.xlsx ? extraSheets() : []
    if (!checkImportPlan(wb, dest, p)) {
      importer.release(more.length > 0)
      released = true
    }
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
    let moreLines: string[] | undefined
    if (more.length > 0) {
      const done = await importOtherWorksheets({
        importer: releasingImporter(importer, more.length),
        file: props.file,
        names: more,
        settings: { ...settings(), xlsx: xlsxSettings() },
        wb,
        sheetName: uniqueSheetName,
        aborted: () => disposed,
      })
      importer.release(false)
      if (disposed) return
      moreLines = done.lines
    }
    setStep({ kind: 'done', report: r.report, ...(moreLines ? { more: moreLines } : {}) })
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

  return {
    importer,
    wb,
    step,
    setStep,
    stepOf,
    settings,
    setSettings,
    summary,
    setSummary,
    mapping,
    setMapping,
    blankId,
    toNew,
    setToNew,
    replaceBlank,
    newName,
    setNewName,
    mode,
    setMode,
    key,
    setKey,
    onMisfit,
    setOnMisfit,
    percentStyle,
    setPercentStyle,
    xlsxSettings,
    setXlsxSettings,
    extraSheets,
    setExtraSheets,
    targetSheet,
    targetColumns,
    read,
    fail,
    reread,
    referenceNames,
    plan,
    apply,
    uniqueSheetName,
    createColumns,
    setTarget,
    setNewType,
    targetValue,
    cellText,
  }
}

export type ImportFlow = ReturnType<typeof createImportFlow>
