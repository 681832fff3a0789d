import { exportSheetCsv, type Workbook } from '@taizhang/shared'
import { exportXlsx } from '@taizhang/shared/xlsx'
import { resolveUserPath } from '../dataDir.js'
import type { DocStore } from '../storage/DocStore.js'
import type { Command } from './args.js'
import {
  freeDataDir,
  type Out,
  openStoredWorkbook,
  startSheetCommand,
  writeFileAtomic,
} from './csvStore.js'

const HELP = `
taizhang export — 把工作表导出为 CSV 或 Excel（.xlsx） / export a sheet as CSV or .xlsx

Usage: taizhang export --data <dir> --workbook <id> --sheet <name> --out <csv>
                       [--encoding utf-8|gb18030] [--no-bom] [--percent percent|number] [--lang zh|en]
       taizhang export --data <dir> --workbook <id> [--sheet <name>] --out <book.xlsx> [--title-row]

The format follows the extension. An .xlsx holds the sheet named by --sheet, or every sheet (one
worksheet each): typed cells with the column's number format, the header frozen, an autofilter,
the grid's column widths, the workbook title in the document properties; --title-row adds a
title row above the header.

UTF-8 with a BOM by default (Excel opens Chinese correctly); GB18030 for old Excel. CRLF line ends,
column names as shown, dates YYYY-MM-DD, formula-like text neutralised with a leading '.
Refuses while a server holds the data dir. Exit status: 0 written, 1 refused, 2 bad usage.
`

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a sheet as CSV (UTF-8 with BOM or GB18030)',
  run: (argv) => runExport(argv),
}

export async function runExport(argv: string[], store?: DocStore): Promise<number> {
  const start = startSheetCommand(
    argv,
    {
      out: { type: 'string' },
      encoding: { type: 'string' },
      'no-bom': { type: 'boolean' },
      'title-row': { type: 'boolean' },
    },
    HELP,
    // An .xlsx without --sheet holds the whole workbook.
    (o) => typeof o.out === 'string' && /\.xlsx$/i.test(o.out),
  )
  if (start === 0 || start === 2) return start
  const { v, out, usage, workbook, sheet: sheetName } = start
  if (!v.out) return usage('需要 --out <CSV 文件>', '--out <csv> is required')
  const encoding = (v.encoding ?? 'utf-8').toLowerCase()
  if (encoding !== 'utf-8' && encoding !== 'gb18030')
    return usage('--encoding 只能是 utf-8 或 gb18030', '--encoding must be utf-8 or gb18030')
  const dataDir = freeDataDir(v.data, out, store)
  if (dataDir === undefined) return 1
  const stored = await openStoredWorkbook(dataDir, workbook, { create: false }, store)
  if (!stored) {
    out.error(out.say(`台账 ${workbook} 不存在。`, `Workbook ${workbook} does not exist.`))
    return 1
  }
  try {
    if (/\.xlsx$/i.test(v.out))
      return await writeXlsx(stored.wb, sheetName, v.out, v['title-row'] === true, out)
    const sheet = stored.wb.sheetByName(sheetName)
    if (!sheet) {
      const names = stored.wb.listSheets().map((s) => s.name)
      out.error(
        out.say(
          `工作表“${sheetName}”不存在。现有：${names.join('、')}`,
          `Sheet "${sheetName}" does not exist. Sheets: ${names.join(', ')}`,
        ),
      )
      return 1
    }
    const result = exportSheetCsv(stored.wb, sheet.id, {
      encoding,
      bom: !v['no-bom'],
      percentStyle: v.percent === 'number' ? 'number' : 'percent',
    })
    const file = resolveUserPath(v.out)
    await writeFileAtomic(file, result.bytes)
    out.info(
      out.say(
        `已导出 ${result.rows} 行 × ${result.columns} 列到 ${file}（${encoding === 'gb18030' ? 'GB18030' : v['no-bom'] ? 'UTF-8' : 'UTF-8 带 BOM'}，${result.bytes.length} 字节）。`,
        `Exported ${result.rows} rows × ${result.columns} columns to ${file} (${encoding === 'gb18030' ? 'GB18030' : v['no-bom'] ? 'UTF-8' : 'UTF-8 with BOM'}, ${result.bytes.length} bytes).`,
      ),
    )
    if (result.unmappable > 0)
      out.info(
        out.say(
          `提示：${result.unmappable} 个字符无法用 GB18030 表示，写成了“?”。请改用 UTF-8。`,
          `Warning: ${result.unmappable} characters have no GB18030 form and were written as "?". Use UTF-8.`,
        ),
      )
    return 0
  } finally {
    await stored.close()
  }
}

/** `--out book.xlsx`: the named sheet, or every sheet, as an .xlsx (issue #15 §2). */
async function writeXlsx(
  wb: Workbook,
  sheetName: string,
  path: string,
  titleRow: boolean,
  out: Out,
): Promise<number> {
  let sheets: { sheetId: string }[] | undefined
  if (sheetName) {
    const sheet = wb.sheetByName(sheetName)
    if (!sheet) {
      const names = wb.listSheets().map((s) => s.name)
      out.error(
        out.say(
          `工作表“${sheetName}”不存在。现有：${names.join('、')}`,
          `Sheet "${sheetName}" does not exist. Sheets: ${names.join(', ')}`,
        ),
      )
      return 1
    }
    sheets = [{ sheetId: sheet.id }]
  }
  const result = await exportXlsx(wb, { ...(sheets ? { sheets } : {}), titleRow })
  const file = resolveUserPath(path)
  await writeFileAtomic(file, result.bytes)
  const list = result.sheets.map((s) =>
    out.say(
      `“${s.name}” ${s.rows} 行 × ${s.columns} 列`,
      `"${s.name}" ${s.rows} rows × ${s.columns} columns`,
    ),
  )
  out.info(
    out.say(
      `已导出 Excel 工作簿到 ${file}（${result.bytes.length} 字节）：${list.join('；')}。`,
      `Exported an Excel workbook to ${file} (${result.bytes.length} bytes): ${list.join('; ')}.`,
    ),
  )
  return 0
}
