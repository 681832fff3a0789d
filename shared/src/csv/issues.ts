import type { BinaryFormat } from './sniff.js'

/** Why an import was refused; nothing is written (rule CSV7). */
export type CsvRefusal =
  | { kind: 'empty' }
  | { kind: 'binary'; format: BinaryFormat }
  | { kind: 'too-large'; bytes: number; limit: number }
  | { kind: 'too-wide'; line: number; columns: number; limit: number }
  | { kind: 'cell-too-long'; line: number; chars: number; limit: number }
  | { kind: 'row-too-long'; line: number; limit: number }
  /** Only a header row: the UI offers to create the columns instead. */
  | { kind: 'header-only'; header: string[] }
  | { kind: 'cancelled' }
  /** A column mapped twice, an unknown key column… (a caller's mistake shown to the user). */
  | { kind: 'bad-mapping'; zh: string; en: string }
  /** Values don't fit their columns and the user chose to cancel. */
  | { kind: 'misfits'; count: number }
  | { kind: 'read-only' }
  | { kind: 'failed'; detail: string }
  /** An Excel file that can't be read safely (issue #15): nothing is inflated past the checks. */
  | { kind: 'xlsx'; reason: XlsxRefusalReason; detail?: string }

/** Why an .xlsx file was refused (`describeRefusal` words each one in zh-CN and English). */
export type XlsxRefusalReason =
  /** A password-protected workbook (an OLE file holding `EncryptedPackage`). */
  | 'encrypted'
  /** `.xls` (BIFF) or WPS `.et`: an OLE file that is not an encrypted .xlsx. */
  | 'legacy'
  /** Too many zip entries, or more uncompressed bytes than allowed (declared or actual). */
  | 'zip-bomb'
  /** A part declares a DTD or entities (XML entity expansion). */
  | 'entities'
  /** A damaged zip (no central directory, sizes that disagree, an unsupported method). */
  | 'corrupt'
  /** A zip that holds no workbook (a .docx, a plain archive). */
  | 'not-spreadsheet'
  /** The workbook has no worksheet by that name (CLI `--worksheet`). */
  | 'no-worksheet'

/** Something worth telling about a file that was still read. */
export type CsvWarning =
  | { kind: 'renamed-header'; index: number; from: string; to: string }
  | {
      kind: 'ragged'
      count: number
      examples: { line: number; fields: number; expected: number }[]
    }
  | { kind: 'blank-lines'; count: number }
  | { kind: 'unclosed-quote'; line: number }
  /** Looked like UTF-8 at first; an invalid sequence later made us re-read it as GB18030. */
  | { kind: 'utf8-fallback' }
  /** Bytes the chosen encoding can't decode became U+FFFD. */
  | { kind: 'replacement-chars'; count: number }
  | { kind: 'extra-columns'; names: string[] }
