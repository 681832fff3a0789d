import { applyImportPlanStaged, describeRefusal, type Workbook } from '@taizhang/shared'
import type { CsvImporter } from '../csv/importClient'
import type { ReadSettings } from '../csv/protocol'
import { csvLang } from '../csv/text'
import { xt } from './text'

/**
 * Imports more worksheets of the same workbook, each into a new sheet named after it (issue #15 §1:
 * "several at once into several Taizhang sheets"), after the one the dialog reviewed. Each goes
 * through the same worker read, suggested mapping, plan and staged apply (its own undo step);
 * values that don't fit are kept as text and flagged, as "import as text" does. Returns one line
 * per worksheet for the dialog's summary.
 */
export async function importOtherWorksheets(opts: {
  importer: CsvImporter
  file: File
  names: readonly string[]
  settings: ReadSettings
  wb: Workbook
  sheetName: (base: string) => string
  aborted: () => boolean
}): Promise<{ lines: string[]; lastSheetId?: string }> {
  const lines: string[] = []
  let lastSheetId: string | undefined
  for (const name of opts.names) {
    if (opts.aborted()) break
    const xlsx = { includeTotals: false, fillMerged: true, ...opts.settings.xlsx, worksheet: name }
    const read = await opts.importer.read(opts.file, { ...opts.settings, xlsx }, [], () => {})
    if (!read.ok) {
      lines.push(xt('moreFailed', { name, reason: describeRefusal(read.refusal, csvLang()) }))
      continue
    }
    const planned = await opts.importer.plan(read.summary.mapping, [], null, {
      mode: 'append',
      onMisfit: 'text',
    })
    if (!planned.ok) {
      lines.push(xt('moreFailed', { name, reason: describeRefusal(planned.refusal, csvLang()) }))
      continue
    }
    const applied = await applyImportPlanStaged(
      opts.wb,
      { newSheetName: opts.sheetName(name) },
      planned.plan,
      { aborted: opts.aborted },
    )
    if (!applied.ok) {
      lines.push(xt('moreFailed', { name, reason: describeRefusal(applied.refusal, csvLang()) }))
      continue
    }
    lastSheetId = applied.report.sheetId
    lines.push(xt('moreLine', { name, added: applied.report.added }))
  }
  return lastSheetId ? { lines, lastSheetId } : { lines }
}
