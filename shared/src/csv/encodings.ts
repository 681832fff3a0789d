/** Text encodings a CSV file may be read in. */
export const CsvEncodings = {
  utf8: 'utf-8',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
  gb18030: 'gb18030',
} as const
export type CsvEncoding = (typeof CsvEncodings)[keyof typeof CsvEncodings]
export const CSV_ENCODINGS: readonly CsvEncoding[] = Object.values(CsvEncodings)

/** Encodings we write. UTF-8 carries a BOM by default so that Excel reads Chinese correctly. */
export type CsvExportEncoding = 'utf-8' | 'gb18030'

/** Accepts the labels people type on a command line (`gbk`, `GB2312`, `utf8`, `unicode`…). */
export function parseEncodingLabel(label: string): CsvEncoding | undefined {
  const l = label.trim().toLowerCase().replace(/[_\s]/g, '-')
  switch (l) {
    case 'utf-8':
    case 'utf8':
      return 'utf-8'
    case 'utf-16le':
    case 'utf16le':
    case 'utf-16':
    case 'unicode':
    case 'ucs-2':
      return 'utf-16le'
    case 'utf-16be':
    case 'utf16be':
      return 'utf-16be'
    // GBK and GB2312 files are decoded as GB18030, their superset: a `gbk` decoder loses four-byte characters.
    case 'gb18030':
    case 'gbk':
    case 'gb2312':
    case 'cp936':
    case 'ansi':
      return 'gb18030'
    default:
      return undefined
  }
}
