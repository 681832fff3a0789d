import { assertNever } from '../model/assert.js'
import type { CsvRefusal, CsvWarning, XlsxRefusalReason } from './issues.js'
import type { BinaryFormat } from './sniff.js'

/** UI and CLI language. */
export type CsvLang = 'zh' | 'en'

const MB = 1024 * 1024
const mb = (n: number) => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`

const BINARY_NAMES: Record<BinaryFormat, [string, string]> = {
  xlsx: ['Excel 工作簿（.xlsx）', 'an Excel workbook (.xlsx)'],
  zip: ['ZIP 压缩包', 'a ZIP archive'],
  xls: ['旧版 Excel 工作簿（.xls/.et）', 'a legacy Excel workbook (.xls/.et)'],
  png: ['PNG 图片', 'a PNG image'],
  jpeg: ['JPEG 图片', 'a JPEG image'],
  gif: ['GIF 图片', 'a GIF image'],
  webp: ['WebP 图片', 'a WebP image'],
  pdf: ['PDF 文档', 'a PDF document'],
  gzip: ['gzip 压缩文件', 'a gzip file'],
  '7z': ['7z 压缩包', 'a 7z archive'],
  rar: ['RAR 压缩包', 'a RAR archive'],
  exe: ['程序文件', 'a program file'],
  nul: ['二进制文件（含 NUL 字节）', 'a binary file (it contains NUL bytes)'],
}

/** Why an import was refused, in the user's language (rule CSV7). */
export function describeRefusal(r: CsvRefusal, lang: CsvLang = 'zh'): string {
  const zh = lang === 'zh'
  switch (r.kind) {
    case 'empty':
      return zh
        ? '文件是空的，没有可导入的数据。'
        : 'The file is empty: there is nothing to import.'
    case 'binary': {
      const [z, e] = BINARY_NAMES[r.format]
      const hint =
        r.format === 'xlsx' || r.format === 'xls'
          ? zh
            ? '请在 Excel 或 WPS 中“另存为” CSV 后再导入。'
            : 'Save it as CSV from Excel or WPS first.'
          : zh
            ? '请选择 CSV 或文本文件。'
            : 'Choose a CSV or text file.'
      return zh ? `这不是 CSV 文件，而是${z}。${hint}` : `This is not a CSV file but ${e}. ${hint}`
    }
    case 'too-large':
      return zh
        ? `文件太大（${mb(r.bytes)}），上限为 ${mb(r.limit)}。请拆分后分批导入。`
        : `The file is too large (${mb(r.bytes)}); the limit is ${mb(r.limit)}. Split it and import the parts.`
    case 'too-wide':
      return zh
        ? `第 ${r.line} 行有 ${r.columns} 列，超过上限 ${r.limit} 列。分隔符可能选错了。`
        : `Line ${r.line} has ${r.columns} fields, over the limit of ${r.limit}. The delimiter may be wrong.`
    case 'cell-too-long':
      return zh
        ? `第 ${r.line} 行有一个单元格长 ${r.chars} 个字符，超过上限 ${r.limit}。`
        : `A cell on line ${r.line} is ${r.chars} characters long, over the limit of ${r.limit}.`
    case 'row-too-long':
      return zh
        ? `从第 ${r.line} 行开始的一条记录超过 ${r.limit} 个字符，可能有未闭合的引号。`
        : `The record starting on line ${r.line} exceeds ${r.limit} characters; a quote may be unclosed.`
    case 'header-only':
      return zh
        ? `文件只有表头（${r.header.join('、')}），没有数据行。可以只创建这些列。`
        : `The file has a header (${r.header.join(', ')}) but no data rows. You can create just the columns.`
    case 'cancelled':
      return zh ? '导入已取消，没有写入任何数据。' : 'Import cancelled; nothing was written.'
    case 'bad-mapping':
      return zh ? `列映射有误：${r.zh}` : `Column mapping problem: ${r.en}`
    case 'misfits':
      return zh
        ? `有 ${r.count} 个值与列类型不符。请选择“按文本导入”或“跳过这些行”，或取消。`
        : `${r.count} values do not fit their columns. Import them as text, skip those rows, or cancel.`
    case 'read-only':
      return zh
        ? '此台账为只读，不能导入。'
        : 'This workbook is read-only; nothing can be imported.'
    case 'xlsx':
      return describeXlsxRefusal(r.reason, zh, r.detail)
    case 'failed':
      return zh
        ? `导入失败，未写入任何数据：${r.detail}`
        : `Import failed; nothing was written: ${r.detail}`
    default:
      return assertNever(r)
  }
}

/** A warning about a file that was still read, in the user's language. */
export function describeWarning(w: CsvWarning, lang: CsvLang = 'zh'): string {
  const zh = lang === 'zh'
  switch (w.kind) {
    case 'renamed-header':
      return w.from === ''
        ? zh
          ? `第 ${w.index + 1} 列没有表头，命名为“${w.to}”。`
          : `Column ${w.index + 1} has no header; named "${w.to}".`
        : zh
          ? `表头“${w.from}”重复，第 ${w.index + 1} 列改名为“${w.to}”。`
          : `Header "${w.from}" repeats; column ${w.index + 1} renamed "${w.to}".`
    case 'ragged': {
      const ex = w.examples
        .map((e) => (zh ? `第 ${e.line} 行 ${e.fields} 列` : `line ${e.line}: ${e.fields} fields`))
        .join(zh ? '，' : ', ')
      return zh
        ? `${w.count} 行的列数与表头不同（${ex}），已补齐或扩展。`
        : `${w.count} rows have a different number of fields than the header (${ex}); padded or widened.`
    }
    case 'blank-lines':
      return zh ? `跳过了 ${w.count} 个空行。` : `Skipped ${w.count} blank lines.`
    case 'unclosed-quote':
      return zh
        ? `第 ${w.line} 行附近有未闭合的引号，其后内容并入了同一单元格。`
        : `An unclosed quote near line ${w.line}: the rest was read into one cell.`
    case 'utf8-fallback':
      return zh
        ? '文件开头像 UTF-8，后面出现了非 UTF-8 字节，已改按 GB18030 读取。'
        : 'The file looked like UTF-8 at first but is not; it was read as GB18030.'
    case 'replacement-chars':
      return zh
        ? `有 ${w.count} 个字符无法按所选编码解码（显示为 �）。请检查编码。`
        : `${w.count} characters could not be decoded (shown as �). Check the encoding.`
    case 'extra-columns':
      return zh
        ? `部分行比表头多出数据，新增了列：${w.names.join('、')}。`
        : `Some rows have more values than the header; added columns: ${w.names.join(', ')}.`
    default:
      return assertNever(w)
  }
}

/** Display names of encodings for the dialog and the CLI summary. */
export function encodingLabel(encoding: string): string {
  switch (encoding) {
    case 'utf-8':
      return 'UTF-8'
    case 'utf-16le':
      return 'UTF-16 LE'
    case 'utf-16be':
      return 'UTF-16 BE'
    case 'gb18030':
      return 'GB18030 (GBK)'
    default:
      return encoding
  }
}

/** Display names of delimiters. */
export function delimiterLabel(d: string, lang: CsvLang = 'zh'): string {
  const zh = lang === 'zh'
  switch (d) {
    case ',':
      return zh ? '逗号 ,' : 'comma ,'
    case ';':
      return zh ? '分号 ;' : 'semicolon ;'
    case '\t':
      return zh ? '制表符' : 'tab'
    case '|':
      return zh ? '竖线 |' : 'pipe |'
    default:
      return d
  }
}

/** The words for an .xlsx refusal (issue #15 §1): what happened, nothing written, what to do. */
function describeXlsxRefusal(reason: XlsxRefusalReason, zh: boolean, detail?: string): string {
  switch (reason) {
    case 'encrypted':
      return zh
        ? '文件已加密（设置了打开密码），无法读取。请在 Excel 或 WPS 中打开并取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存，再导入。没有写入任何数据。'
        : 'The file is encrypted (it has an open password) and cannot be read. Open it in Excel or WPS, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save, and import again. Nothing was written.'
    case 'legacy':
      return zh
        ? '这是旧版 Excel（.xls）或 WPS 表格（.et）文件，不能直接导入。请在 Excel 或 WPS 中打开，选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再导入新文件。没有写入任何数据。'
        : 'This is a legacy Excel (.xls) or WPS Spreadsheets (.et) file, which cannot be imported directly. Open it in Excel or WPS, choose File → Save As, pick "Excel Workbook (*.xlsx)", and import the new file. Nothing was written.'
    case 'zip-bomb':
      return zh
        ? `文件解压后过大或条目过多（${detail ?? ''}），可能是恶意构造的压缩文件，已拒绝。没有写入任何数据。`
        : `The file would unpack to too much data or too many entries (${detail ?? ''}); it may be a crafted archive and was refused. Nothing was written.`
    case 'entities':
      return zh
        ? '文件中的 XML 声明了 DTD 或实体（可用于“实体膨胀”攻击），Excel 和 WPS 不会这样保存文件，已拒绝。没有写入任何数据。'
        : 'An XML part of the file declares a DTD or entities (usable for entity-expansion attacks); Excel and WPS never save files like that, so it was refused. Nothing was written.'
    case 'corrupt':
      return zh
        ? `文件已损坏，无法读取${detail ? `（${detail}）` : ''}。请在 Excel 或 WPS 中打开并重新保存后再导入。没有写入任何数据。`
        : `The file is damaged and cannot be read${detail ? ` (${detail})` : ''}. Open it in Excel or WPS, save it again, and import the new file. Nothing was written.`
    case 'not-spreadsheet':
      return zh
        ? '这不是电子表格文件（压缩包中没有工作簿）。请选择 .xlsx 或 .csv 文件。没有写入任何数据。'
        : 'This is not a spreadsheet (the archive holds no workbook). Choose an .xlsx or .csv file. Nothing was written.'
    case 'no-worksheet':
      return zh
        ? `工作簿中没有名为“${detail ?? ''}”的工作表。`
        : `The workbook has no worksheet named "${detail ?? ''}".`
    default:
      return assertNever(reason)
  }
}
