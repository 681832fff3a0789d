/**
 * The .xlsx side of `taizhang import` and `taizhang export` (issue #15): reads a worksheet into the
 * same table the CSV import plans from, and prints what the reader noticed, in zh-CN or English.
 */
import { open, readFile } from 'node:fs/promises'
import type { CsvRefusal, CsvTable } from '@taizhang/shared'
import { MAX_XLSX_BYTES, openXlsx, readWorksheet, type XlsxSheetNotes } from '@taizhang/shared/xlsx'
import type { Out } from './csvStore.js'

/** Whether the file starts like a zip (.xlsx) or an OLE file (.xls, .et, an encrypted .xlsx). */
export async function looksLikeExcel(path: string): Promise<boolean> {
  const fh = await open(path, 'r')
  try {
    const head = new Uint8Array(8)
    await fh.read(head, 0, 8, 0)
    const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
    const ole = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0
    return zip || ole
  } finally {
    await fh.close()
  }
}

export type XlsxTableResult =
  | { ok: true; table: CsvTable; notes: XlsxSheetNotes; worksheets: string[] }
  | { ok: false; refusal: CsvRefusal }

/** Reads `worksheet` (default: the first visible one) of the .xlsx at `path`. */
export async function readXlsxTable(
  path: string,
  options: { worksheet?: string; includeTotals?: boolean; fillMerged?: boolean },
): Promise<XlsxTableResult> {
  const fh = await open(path, 'r')
  let size: number
  try {
    size = (await fh.stat()).size
  } finally {
    await fh.close()
  }
  // Refused before reading a byte past the limit.
  if (size > MAX_XLSX_BYTES)
    return { ok: false, refusal: { kind: 'too-large', bytes: size, limit: MAX_XLSX_BYTES } }
  const bytes = new Uint8Array(await readFile(path))
  const opened = await openXlsx(bytes)
  if (!opened.ok) return opened
  const { book } = opened
  const names = book.worksheets.map((w) => w.name)
  const name =
    options.worksheet ?? (book.worksheets.find((w) => !w.hidden) ?? book.worksheets[0])!.name
  const read = readWorksheet(book, name, {
    ...(options.includeTotals !== undefined ? { includeTotals: options.includeTotals } : {}),
    ...(options.fillMerged !== undefined ? { fillMerged: options.fillMerged } : {}),
  })
  if (!read.ok) return read
  return { ok: true, table: read.table, notes: read.notes, worksheets: names }
}

/** Prints the reader's notes: worksheet, title, header rows, totals, formulas, hidden, merged. */
export function printXlsxNotes(notes: XlsxSheetNotes, worksheets: string[], out: Out): void {
  const zh = out.lang === 'zh'
  out.info(
    zh
      ? `工作表：${notes.worksheet}（工作簿共 ${worksheets.length} 个：${worksheets.join('、')}）${notes.date1904 ? '，1904 日期系统' : ''}`
      : `Worksheet: ${notes.worksheet} (the workbook has ${worksheets.length}: ${worksheets.join(', ')})${notes.date1904 ? ', 1904 date system' : ''}`,
  )
  if (notes.title)
    out.info(
      zh
        ? `标题行（第 ${notes.titleRows.join('、')} 行）已跳过：${notes.title}`
        : `Title row (row ${notes.titleRows.join(', ')}) skipped: ${notes.title}`,
    )
  if (notes.headerRows.length > 1)
    out.info(
      zh
        ? `多行合并表头（第 ${notes.headerRows.join('、')} 行）已合并为一行，如“上级 · 下级”。`
        : `Merged multi-row header (rows ${notes.headerRows.join(', ')}) flattened, as "upper · lower".`,
    )
  if (notes.totals)
    out.info(
      notes.totals.included
        ? zh
          ? `第 ${notes.totals.line} 行“${notes.totals.label}”按数据导入（--include-totals）。`
          : `Row ${notes.totals.line} "${notes.totals.label}" imported as data (--include-totals).`
        : zh
          ? `第 ${notes.totals.line} 行“${notes.totals.label}”是合计行，未导入（用 --include-totals 导入）。`
          : `Row ${notes.totals.line} "${notes.totals.label}" is a totals row and was left out (--include-totals keeps it).`,
    )
  if (notes.formulas.count > 0) {
    const ex = notes.formulas.examples
      .map((e) => `${e.column}${e.line}: ${e.formula}`)
      .join(zh ? '，' : ', ')
    out.info(
      zh
        ? `${notes.formulas.count} 个公式单元格按 Excel 最后计算的值导入（公式未保留），例如 ${ex}`
        : `${notes.formulas.count} formula cells imported as the values Excel last computed (formulas not kept), e.g. ${ex}`,
    )
  }
  if (notes.hiddenRows.count > 0)
    out.info(
      zh
        ? `${notes.hiddenRows.count} 个隐藏行已导入，如第 ${notes.hiddenRows.lines.join('、')} 行`
        : `${notes.hiddenRows.count} hidden rows imported, e.g. rows ${notes.hiddenRows.lines.join(', ')}`,
    )
  if (notes.hiddenColumns.length > 0)
    out.info(
      zh
        ? `隐藏列已导入：${notes.hiddenColumns.join('、')}`
        : `Hidden columns imported: ${notes.hiddenColumns.join(', ')}`,
    )
  if (notes.mergedBody.count > 0)
    out.info(
      notes.mergedBody.filled
        ? zh
          ? `${notes.mergedBody.count} 个合并单元格区域：每个单元格都填入了合并的值（--merged leave 则留空）。`
          : `${notes.mergedBody.count} merged ranges: every cell filled with the merged value (--merged leave leaves them empty).`
        : zh
          ? `${notes.mergedBody.count} 个合并单元格区域：只有左上角单元格有值。`
          : `${notes.mergedBody.count} merged ranges: only the top-left cell holds the value.`,
    )
}
