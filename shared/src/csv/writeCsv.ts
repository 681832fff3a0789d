import Papa from 'papaparse'
import type { CsvExportEncoding } from './encodings.js'
import { encodeGb18030 } from './gb18030.js'
import { encodeUtf8 } from './textCodec.js'

/**
 * Writes a table of strings as CSV text with CRLF line endings (rule CSV8), quoting only where needed.
 * Cells must already be formatted and neutralised (see `formula.ts`); this is the only papaparse
 * `unparse` call in Taizhang.
 */
export function writeCsvText(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  let text = Papa.unparse(
    { fields: header as string[], data: rows as string[][] },
    { newline: '\r\n', quotes: false, escapeFormulae: false, header: true },
  )
  // Excel takes a file starting with "ID" for SYLK and refuses it; a quoted "ID" is plain CSV.
  if (/^ID/.test(text))
    text = '"' + (header[0] ?? '').replace(/"/g, '""') + '"' + text.slice(header[0]?.length ?? 0)
  return text + '\r\n'
}

export interface CsvEncodeOptions {
  encoding?: CsvExportEncoding
  /** UTF-8 only: write a byte-order mark (default true, so Excel picks UTF-8). */
  bom?: boolean
}

/** Encodes CSV text for download; `unmappable` counts characters GB18030 could not represent. */
export function encodeCsvText(
  text: string,
  options: CsvEncodeOptions = {},
): { bytes: Uint8Array; unmappable: number } {
  if (options.encoding === 'gb18030') {
    const stats = { unmappable: 0 }
    return { bytes: encodeGb18030(text, stats), unmappable: stats.unmappable }
  }
  const body = encodeUtf8(text)
  if (options.bom === false) return { bytes: body, unmappable: 0 }
  const out = new Uint8Array(body.length + 3)
  out.set([0xef, 0xbb, 0xbf])
  out.set(body, 3)
  return { bytes: out, unmappable: 0 }
}
