import { formatMessage, locale } from '../i18n'

/** The .xlsx import/export strings (issue #15), zh-CN first, kept with the feature. */
const zh = {
  worksheet: '工作表',
  hiddenSheet: '（隐藏）',
  alsoImport: '同时导入其他工作表（各建一个新工作表，列按推荐类型）：',
  includeTotals: '导入合计行“{label}”（第 {line} 行）',
  fillMerged: '合并单元格：每格都填入合并的值',
  titleSkipped: '已跳过标题行（第 {rows} 行）：{title}',
  headerMerged: '多行表头（第 {rows} 行）已合并为一行，如“上级 · 下级”。',
  totalsLeftOut: '第 {line} 行“{label}”是合计行，默认不导入。',
  formulas: '{n} 个公式单元格按 Excel 最后计算的值导入（公式本身不保留），例如 {examples}。',
  hiddenRows: '{n} 个隐藏行照常导入，如第 {lines} 行。',
  hiddenColumns: '隐藏列照常导入：{names}。',
  merged: '{n} 个合并单元格区域',
  date1904: '此工作簿使用 1904 日期系统（旧版 Mac Excel），日期已按此换算。',
  workbookInfo: 'Excel 工作簿 · {bytes} 字节 · {rows} 行数据',
  moreDone: '另外导入的工作表：{list}',
  moreLine: '“{name}”新增 {added} 行',
  moreFailed: '“{name}”未导入：{reason}',
  format: '格式',
  formatCsv: 'CSV',
  formatXlsx: 'Excel 工作簿（.xlsx）',
  xlsxScope: '工作表',
  thisSheet: '当前工作表',
  allSheets: '整个台账（每个工作表一页）',
  titleRow: '在表头上方加标题行',
  exporting: '正在生成 Excel 文件…',
  exportFailed: '导出失败：{reason}',
}
type Key = keyof typeof zh

const en: Record<Key, string> = {
  worksheet: 'Worksheet',
  hiddenSheet: ' (hidden)',
  alsoImport:
    'Also import other worksheets (each into a new sheet, with the suggested column types):',
  includeTotals: 'Import the totals row "{label}" (row {line})',
  fillMerged: 'Merged cells: fill every cell with the merged value',
  titleSkipped: 'Title row skipped (row {rows}): {title}',
  headerMerged: 'Multi-row header (rows {rows}) flattened into one, as "upper · lower".',
  totalsLeftOut: 'Row {line} "{label}" is a totals row and is left out by default.',
  formulas:
    '{n} formula cells are imported as the values Excel last computed (the formulas are not kept), e.g. {examples}.',
  hiddenRows: '{n} hidden rows are imported as usual, e.g. rows {lines}.',
  hiddenColumns: 'Hidden columns are imported as usual: {names}.',
  merged: '{n} merged ranges',
  date1904:
    'This workbook uses the 1904 date system (old Mac Excel); dates were converted accordingly.',
  workbookInfo: 'Excel workbook · {bytes} bytes · {rows} data rows',
  moreDone: 'Other worksheets imported: {list}',
  moreLine: '"{name}": added {added} rows',
  moreFailed: '"{name}" not imported: {reason}',
  format: 'Format',
  formatCsv: 'CSV',
  formatXlsx: 'Excel workbook (.xlsx)',
  xlsxScope: 'Sheets',
  thisSheet: 'This sheet',
  allSheets: 'The whole workbook (one worksheet per sheet)',
  titleRow: 'Add a title row above the header',
  exporting: 'Writing the Excel file…',
  exportFailed: 'Export failed: {reason}',
}

/** An .xlsx string in the current locale; reactive like `t`. */
export function xt(key: Key, params?: Record<string, string | number>): string {
  return formatMessage((locale() === 'en' ? en : zh)[key], params)
}
