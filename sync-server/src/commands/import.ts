import {
  applyImportPlan,
  type ColumnMapping,
  type CsvEncoding,
  type CsvTable,
  delimiterLabel,
  describeRefusal,
  describeWarning,
  encodingLabel,
  headerKey,
  type ImportOptions,
  type MisfitChoice,
  parseDelimiterLabel,
  parseEncodingLabel,
  planCounts,
  planImport,
  readCsvSource,
  suggestMapping,
} from '@taizhang/shared'
import { resolveUserPath } from '../dataDir.js'
import type { DocStore } from '../storage/DocStore.js'
import type { Command } from './args.js'
import {
  fileSource,
  freeDataDir,
  isExcelPath,
  openStoredWorkbook,
  startSheetCommand,
} from './csvStore.js'
import { looksLikeExcel, printXlsxNotes, readXlsxTable } from './xlsxFile.js'

const HELP = `
taizhang import — 把 CSV 或 Excel（.xlsx）文件导入台账的工作表 / import a CSV or .xlsx file into a workbook sheet

Usage: taizhang import --data <dir> --workbook <id> --sheet <name> --file <csv>
                       [--mode append|upsert --key <col>[,<col>]] [--encoding auto|utf-8|gb18030|utf-16le|utf-16be]
                       [--delimiter auto|,|;|tab||] [--header auto|yes|no] [--on-misfit text|skip]
                       [--percent percent|number] [--dry-run] [--lang zh|en]
       taizhang import --data <dir> --workbook <id> --file <book.xlsx> [--worksheet <name>] [--sheet <name>]
                       [--include-totals] [--merged fill|leave] [--mode …] [--on-misfit …] [--dry-run]

An .xlsx (by extension or content) reads its first visible worksheet unless --worksheet names one,
into a sheet of the same name unless --sheet names one. Title rows are skipped, a merged header is
flattened ("2024年 · 1月"), a trailing 合计/总计 row is left out (--include-totals keeps it), merged
cells are filled (--merged leave leaves them empty), formulas import as their cached values.
.xls/.et, encrypted, damaged or crafted files are refused with the reason; nothing is written.

Works on the server's embedded storage and refuses while a server holds the data dir. A missing
workbook or sheet is created, with column types inferred exactly as the web app infers them.
Values that don't fit their column refuse the import unless --on-misfit says text or skip.
Exit status: 0 imported, 1 refused (reason printed), 2 bad usage.
`

export const importCommand: Command = {
  name: 'import',
  summary: 'import a CSV file into a sheet (GB18030/UTF-8/UTF-16, append or upsert)',
  run: (argv) => runImport(argv),
}

/** The command body; `store` lets tests pass a DocStore instead of opening the data dir. */
export async function runImport(argv: string[], store?: DocStore): Promise<number> {
  const start = startSheetCommand(
    argv,
    {
      file: { type: 'string' },
      mode: { type: 'string' },
      key: { type: 'string' },
      encoding: { type: 'string' },
      delimiter: { type: 'string' },
      header: { type: 'string' },
      'on-misfit': { type: 'string' },
      'dry-run': { type: 'boolean' },
      worksheet: { type: 'string' },
      'include-totals': { type: 'boolean' },
      merged: { type: 'string' },
    },
    HELP,
    // An .xlsx names the sheet after its worksheet unless --sheet says otherwise.
    (o) => typeof o.file === 'string' && isExcelPath(o.file),
  )
  if (start === 0 || start === 2) return start
  const { v, out, usage, workbook, sheet: givenSheet } = start
  if (!v.file) return usage('需要 --file <CSV 或 .xlsx 文件>', '--file <csv|xlsx> is required')
  const mode = v.mode ?? 'append'
  if (mode !== 'append' && mode !== 'upsert')
    return usage('--mode 只能是 append 或 upsert', '--mode must be append or upsert')
  if (mode === 'upsert' && !v.key)
    return usage('upsert 模式需要 --key <列>[,<列>]', 'upsert needs --key <col>[,<col>]')
  let encoding: CsvEncoding | 'auto' = 'auto'
  if (v.encoding && v.encoding !== 'auto') {
    const e = parseEncodingLabel(v.encoding)
    if (!e) return usage(`不支持的编码：${v.encoding}`, `unsupported encoding: ${v.encoding}`)
    encoding = e
  }
  let delimiter: ReturnType<typeof parseDelimiterLabel> | 'auto' = 'auto'
  if (v.delimiter && v.delimiter !== 'auto') {
    delimiter = parseDelimiterLabel(v.delimiter)
    if (!delimiter)
      return usage(`不支持的分隔符：${v.delimiter}`, `unsupported delimiter: ${v.delimiter}`)
  }
  const header = v.header === 'yes' ? true : v.header === 'no' ? false : 'auto'
  let onMisfit: MisfitChoice = 'ask'
  if (v['on-misfit'] === 'text') onMisfit = 'text'
  else if (v['on-misfit'] === 'skip') onMisfit = 'skip-rows'
  else if (v['on-misfit'] !== undefined)
    return usage('--on-misfit 只能是 text 或 skip', '--on-misfit must be text or skip')

  const dataDir = freeDataDir(v.data, out, store)
  if (dataDir === undefined) return 1

  const file = resolveUserPath(v.file)
  let excel: boolean
  try {
    excel = isExcelPath(file) || (await looksLikeExcel(file))
  } catch (err) {
    out.error(out.say(`无法读取文件 ${file}：`, `cannot read ${file}: `) + (err as Error).message)
    return 1
  }
  let table: CsvTable
  let sheetName = givenSheet
  if (excel) {
    // .xlsx (issue #15): the worksheet's table goes through the same mapping, plan and apply.
    const merged = v.merged ?? 'fill'
    if (merged !== 'fill' && merged !== 'leave')
      return usage('--merged 只能是 fill 或 leave', '--merged must be fill or leave')
    const read = await readXlsxTable(file, {
      ...(v.worksheet ? { worksheet: v.worksheet } : {}),
      includeTotals: v['include-totals'] === true,
      fillMerged: merged === 'fill',
    })
    if (!read.ok) {
      out.error(out.say('拒绝导入：', 'Refused: ') + describeRefusal(read.refusal, out.lang))
      return 1
    }
    table = read.table
    out.info(out.say(`文件：${file}（Excel 工作簿）`, `File: ${file} (Excel workbook)`))
    printXlsxNotes(read.notes, read.worksheets, out)
    if (!sheetName) sheetName = read.notes.worksheet
  } else {
    if (!sheetName) return usage('需要 --sheet <工作表名称>', '--sheet <name> is required')
    let src: Awaited<ReturnType<typeof fileSource>>
    try {
      src = await fileSource(file)
    } catch (err) {
      out.error(out.say(`无法读取文件 ${file}：`, `cannot read ${file}: `) + (err as Error).message)
      return 1
    }
    let read: Awaited<ReturnType<typeof readCsvSource>>
    try {
      read = await readCsvSource(src.source, { encoding, delimiter, header })
    } finally {
      await src.close()
    }
    if (!read.ok) {
      out.error(out.say('拒绝导入：', 'Refused: ') + describeRefusal(read.refusal, out.lang))
      return 1
    }
    table = read.table
    out.info(
      out.say(
        `文件：${file}（${read.bytes} 字节，编码 ${encodingLabel(read.encoding)}，分隔符 ${delimiterLabel(String(table.delimiter), 'zh')}，${table.hasHeader ? '有' : '无'}表头）`,
        `File: ${file} (${read.bytes} bytes, ${encodingLabel(read.encoding)}, delimiter ${delimiterLabel(String(table.delimiter), 'en')}, ${table.hasHeader ? 'with' : 'no'} header)`,
      ),
    )
  }
  out.info(out.say(`读取 ${table.rowCount} 行数据。`, `Read ${table.rowCount} data rows.`))

  const stored = await openStoredWorkbook(dataDir, workbook, { create: true }, store)
  if (!stored) return 1
  try {
    const { wb } = stored
    const sheet = wb.sheetByName(sheetName)
    const mapping: ColumnMapping[] = suggestMapping(table, sheet?.columns() ?? [])
    const colName = (m: ColumnMapping) =>
      m.target.kind === 'existing' ? (sheet?.column(m.target.colId)?.name ?? '?') : ''
    out.info(out.say('列：', 'Columns:'))
    for (const m of mapping) {
      const h = table.header[m.source]
      if (m.target.kind === 'existing')
        out.info(`  ${h} → ${colName(m)} (${sheet?.column(m.target.colId)?.type})`)
      else if (m.target.kind === 'new')
        out.info(
          `  ${h} → ${out.say('新列', 'new column')} ${m.target.name} (${m.target.type}${m.target.format?.unit ? `, ${m.target.format.unit}` : ''})`,
        )
    }
    const options: ImportOptions = { mode, onMisfit }
    if (v.percent === 'number' || v.percent === 'percent') options.percentStyle = v.percent
    if (mode === 'upsert') {
      const wanted = v
        .key!.split(',')
        .map((k) => k.trim())
        .filter(Boolean)
      const key: number[] = []
      for (const k of wanted) {
        const idx = table.header.findIndex((h, i) => {
          const m = mapping[i]!
          return (
            headerKey(h) === headerKey(k) ||
            (m.target.kind === 'existing' && headerKey(colName(m)) === headerKey(k))
          )
        })
        if (idx < 0)
          return usage(
            `主键列“${k}”不在文件的表头中`,
            `key column "${k}" is not in the file's header`,
          )
        key.push(idx)
      }
      options.key = key
    }
    const planned = planImport(table, mapping, sheet, options)
    for (const w of table.warnings)
      out.info(`${out.say('提示', 'Warning')}: ${describeWarning(w, out.lang)}`)
    if (!planned.ok) {
      out.error(out.say('拒绝导入：', 'Refused: ') + describeRefusal(planned.refusal, out.lang))
      return 1
    }
    const plan = planned.plan
    for (const m of plan.misfits) {
      const ex = m.examples
        .map((e) => out.say(`第 ${e.line} 行“${e.input}”`, `line ${e.line} "${e.input}"`))
        .join(out.say('，', ', '))
      out.info(
        out.say(
          `不符合列类型：${m.column}（${m.type}）${m.count} 个，例如 ${ex}`,
          `Does not fit ${m.column} (${m.type}): ${m.count}, e.g. ${ex}`,
        ),
      )
    }
    if (plan.noData.count > 0)
      out.info(
        out.say(
          `${plan.noData.count} 个“无数据”标记（—、/、-、－）按原样保留，不当作空白或 0。`,
          `${plan.noData.count} "no data" markers (—, /, -, －) kept as written, not blank or 0.`,
        ),
      )
    if (plan.approximate.count > 0)
      out.info(
        out.say(
          `${plan.approximate.count} 个约数（如“1.2万余”）按所写数值导入。`,
          `${plan.approximate.count} approximate figures (like 1.2万余) imported as stated.`,
        ),
      )
    for (const s of plan.skipped) {
      const why = {
        misfit: out.say('值不符', 'misfit'),
        'empty-key': out.say('主键为空', 'empty key'),
        'duplicate-key': out.say('主键重复', 'duplicate key'),
      }[s.reason]
      out.info(
        out.say(
          `跳过 ${s.count} 行（${why}），如第 ${s.lines.join('、')} 行`,
          `Skipped ${s.count} rows (${why}), e.g. lines ${s.lines.join(', ')}`,
        ),
      )
    }
    if (plan.needsDecision) {
      out.error(
        out.say('拒绝导入：', 'Refused: ') +
          describeRefusal(
            { kind: 'misfits', count: plan.misfits.reduce((n, m) => n + m.count, 0) },
            out.lang,
          ) +
          out.say(
            '（使用 --on-misfit text 或 --on-misfit skip）',
            ' (use --on-misfit text or --on-misfit skip)',
          ),
      )
      return 1
    }
    const c = planCounts(plan)
    if (v['dry-run']) {
      out.info(
        out.say(
          `试运行：将新增 ${c.added} 行，更新 ${c.updated} 行，未变 ${c.unchanged} 行，跳过 ${c.skipped} 行。未写入。`,
          `Dry run: would add ${c.added}, update ${c.updated}, leave ${c.unchanged} unchanged, skip ${c.skipped}. Nothing written.`,
        ),
      )
      return 0
    }
    const applied = applyImportPlan(
      wb,
      sheet ? { sheetId: sheet.id } : { newSheetName: sheetName },
      plan,
    )
    if (!applied.ok) {
      out.error(out.say('拒绝导入：', 'Refused: ') + describeRefusal(applied.refusal, out.lang))
      return 1
    }
    await stored.save()
    const r = applied.report
    if (stored.created)
      out.info(out.say(`已新建台账 ${workbook}。`, `Created workbook ${workbook}.`))
    if (!sheet) out.info(out.say(`已新建工作表“${sheetName}”。`, `Created sheet "${sheetName}".`))
    out.info(
      out.say(
        `完成：新增 ${r.added} 行，更新 ${r.updated} 行，未变 ${r.unchanged} 行，跳过 ${r.skipped} 行。`,
        `Done: added ${r.added}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}.`,
      ),
    )
    return 0
  } finally {
    await stored.close()
  }
}
