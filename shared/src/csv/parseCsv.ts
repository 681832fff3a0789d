import Papa from 'papaparse'
import { CsvColumnData } from './csvColumn.js'
import {
  type CsvDelimiter,
  type CsvNewline,
  detectDelimiter,
  detectHeader,
  guessNewline,
  readSepLine,
} from './dialect.js'
import { makeUniqueHeaders, type RenamedHeader } from './headers.js'
import type { CsvRefusal, CsvWarning } from './issues.js'
import {
  CSV_ISSUE_EXAMPLES,
  MAX_CSV_CELL_CHARS,
  MAX_CSV_COLUMNS,
  MAX_CSV_ROW_CHARS,
} from './limits.js'

/** Reader settings: `auto` (the default) detects, anything else overrides (rule CSV3). */
export interface CsvTextOptions {
  delimiter?: CsvDelimiter | 'auto'
  header?: boolean | 'auto'
  /** Stop after this many data rows (the dialog's first look); the result is then `truncated`. */
  maxRows?: number
}

/** What a CSV text held, as strings; types come later, when mapped onto columns. */
export interface CsvTable {
  delimiter: CsvDelimiter | string
  delimiterSource: 'user' | 'sep-line' | 'detected'
  newline: CsvNewline
  hasHeader: boolean
  headerSource: 'user' | 'detected'
  /** Unique, non-empty names (CSV4); `rawHeader` is what the file said. */
  header: string[]
  rawHeader: string[]
  renamedHeaders: RenamedHeader[]
  /** Data rows, each exactly `header.length` long, built from `data` on first use (tests, small
   * files): an import reads `data`, which holds each column's distinct strings once. */
  readonly rows: string[][]
  /** The cells, one `CsvColumnData` per header column. */
  data: CsvColumnData[]
  rowCount: number
  /** The physical line (1-based) each row starts on, for messages. */
  lines: number[]
  warnings: CsvWarning[]
  truncated: boolean
}

export type CsvTableResult = { ok: true; table: CsvTable } | { ok: false; refusal: CsvRefusal }

/** Characters buffered before the dialect is decided. */
const DETECT_CHARS = 64 * 1024

function isBlankRow(row: readonly string[]): boolean {
  for (const f of row) if (f.length !== 0 && f.trim() !== '') return false
  return true
}

function countBreaks(s: string): number {
  let n = 0
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++
  // Bare CRs (old Mac files) inside quoted fields count as line breaks too.
  if (n === 0 && s.indexOf('\r') !== -1)
    for (let i = s.indexOf('\r'); i !== -1; i = s.indexOf('\r', i + 1)) n++
  return n
}

/**
 * A push parser over decoded text chunks built on papaparse's `Parser` (the same loop its own chunk
 * streamer runs): a record cut by a chunk boundary is carried over and re-parsed with the next chunk.
 */
export interface CsvTextReader {
  /** Feeds decoded text; returns a refusal as soon as a limit is crossed, else undefined. */
  push(text: string): CsvRefusal | undefined
  /** Ends the input; returns the table or the refusal. */
  end(): CsvTableResult
  /** Data rows read so far (for progress). */
  rowCount(): number
  /** True once `maxRows` data rows have been read; further input is ignored. */
  full(): boolean
}

export function createCsvTextReader(options: CsvTextOptions = {}): CsvTextReader {
  let pending = '' // text before detection, then the carried-over partial record
  let detected = false
  let sawSep = false
  let delimiter: string = ','
  let delimiterSource: CsvTable['delimiterSource'] = 'detected'
  let newline: CsvNewline = '\n'
  let parser: InstanceType<typeof Papa.Parser> | undefined
  let hasHeader = true
  let headerSource: CsvTable['headerSource'] = 'detected'
  let rawHeader: string[] | undefined
  let width = 0
  const data: CsvColumnData[] = []
  let rowCount = 0
  const lines: number[] = []
  let nextLine = 1
  let blank = 0
  let raggedCount = 0
  const raggedExamples: { line: number; fields: number; expected: number }[] = []
  let unclosedQuote: number | undefined
  let refusal: CsvRefusal | undefined
  let truncated = false
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY
  const extraNames: string[] = []

  function detect(sample: string, complete: boolean): void {
    detected = true
    const sep = sawSep ? undefined : readSepLine(sample)
    if (sep) {
      sawSep = true
      pending = pending.slice(sep.length)
      sample = sample.slice(sep.length)
      nextLine++
    }
    newline = guessNewline(sample)
    if (options.delimiter && options.delimiter !== 'auto') {
      delimiter = options.delimiter
      delimiterSource = 'user'
    } else if (sep && sep.delimiter !== '"' && sep.delimiter !== '\n' && sep.delimiter !== '\r') {
      delimiter = sep.delimiter
      delimiterSource = 'sep-line'
    } else {
      delimiter = detectDelimiter(sample, newline, complete)
    }
    if (typeof options.header === 'boolean') {
      hasHeader = options.header
      headerSource = 'user'
    } else {
      const firstRows = new Papa.Parser({ delimiter, newline, preview: 52 })
        .parse(sample, 0, !complete)
        .data.filter((r: string[]) => !isBlankRow(r)) as string[][]
      hasHeader = detectHeader(firstRows)
    }
    // An unusual `sep=` character (not one we detect) is honoured anyway, as Excel does.
    parser = new Papa.Parser({ delimiter, newline })
  }

  /** `oneLine`: the row is known to hold no line break (no need to look in its fields). */
  function acceptRow(row: string[], oneLine: boolean): void {
    const line = nextLine
    let breaks = 0
    for (const f of row) {
      if (f.length > MAX_CSV_CELL_CHARS && !refusal)
        refusal = { kind: 'cell-too-long', line, chars: f.length, limit: MAX_CSV_CELL_CHARS }
      if (!oneLine && f.length > 0 && (f.indexOf('\n') !== -1 || f.indexOf('\r') !== -1))
        breaks += countBreaks(f)
    }
    nextLine += 1 + breaks
    if (refusal) return
    if (row.length > MAX_CSV_COLUMNS) {
      refusal = { kind: 'too-wide', line, columns: row.length, limit: MAX_CSV_COLUMNS }
      return
    }
    if (isBlankRow(row)) {
      blank++
      return
    }
    if (rawHeader === undefined) {
      if (hasHeader) {
        rawHeader = row
        width = row.length
        for (let c = 0; c < width; c++) data.push(new CsvColumnData())
        return
      }
      rawHeader = row.map(() => '')
      width = row.length
      for (let c = 0; c < width; c++) data.push(new CsvColumnData())
    }
    if (rowCount >= maxRows) {
      truncated = true
      return
    }
    if (row.length !== width) {
      // Trailing empty fields (a ragged Excel export) are dropped silently; real extra values widen.
      let len = row.length
      while (len > width && (row[len - 1] ?? '').trim() === '') len--
      if (len !== width) {
        raggedCount++
        if (raggedExamples.length < CSV_ISSUE_EXAMPLES)
          raggedExamples.push({ line, fields: len, expected: width })
      }
      if (len > width) {
        for (let c = width; c < len; c++) {
          extraNames.push(`列${c + 1}`)
          data.push(new CsvColumnData(rowCount))
        }
        width = len
      }
      for (let c = 0; c < width; c++) data[c]!.push(c < len ? row[c]! : '')
    } else for (let c = 0; c < width; c++) data[c]!.push(row[c]!)
    rowCount++
    lines.push(line)
  }

  function parseAvailable(final: boolean): void {
    if (!parser || refusal) return
    const input = pending
    const res = parser.parse(input, 0, !final)
    const records = res.data as string[][]
    // papaparse reports an empty record after a final line break; it is not a line of the file.
    const endsWithNewline = input.endsWith(newline)
    if (final && records.length > 0 && endsWithNewline) {
      const last = records[records.length - 1]!
      if (last.length === 1 && last[0] === '') records.pop()
    }
    // When the text read holds exactly one line break per record, no field holds one: each record
    // is one line, and its fields need no search for breaks (most files, and a cost per field).
    const consumed = final ? input.length : res.meta.cursor
    const separators = final && !endsWithNewline ? records.length - 1 : records.length
    const oneLine =
      newline === '\r\n'
        ? countUpTo(input, '\n', consumed) === separators &&
          countUpTo(input, '\r', consumed) === separators
        : countUpTo(input, newline, consumed) === separators &&
          countUpTo(input, newline === '\n' ? '\r' : '\n', consumed) === 0
    for (const r of records) {
      acceptRow(r, oneLine)
      if (refusal || truncated) break
    }
    if (final) {
      if (res.errors.some((e: Papa.ParseError) => e.code === 'MissingQuotes'))
        unclosedQuote = nextLine - 1
      pending = ''
    } else {
      pending = input.slice(res.meta.cursor)
      if (pending.length > MAX_CSV_ROW_CHARS && !refusal)
        refusal = { kind: 'row-too-long', line: nextLine, limit: MAX_CSV_ROW_CHARS }
    }
  }

  return {
    push(text) {
      if (refusal) return refusal
      if (truncated) return undefined
      if (!detected && pending === '' && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      pending += text
      if (!detected) {
        if (pending.length < DETECT_CHARS) return undefined
        detect(pending, false)
      }
      parseAvailable(false)
      return refusal
    },
    end() {
      if (!detected && !refusal) detect(pending, true)
      if (!truncated) parseAvailable(true)
      if (refusal) return { ok: false, refusal }
      if (rawHeader === undefined) return { ok: false, refusal: { kind: 'empty' } }
      const unique = makeUniqueHeaders([...rawHeader, ...extraNames.map(() => '')])
      if (rowCount === 0 && hasHeader)
        return { ok: false, refusal: { kind: 'header-only', header: unique.names } }
      const warnings: CsvWarning[] = []
      for (const r of unique.renamed)
        if (hasHeader && r.index < rawHeader.length) warnings.push({ kind: 'renamed-header', ...r })
      if (extraNames.length > 0)
        warnings.push({ kind: 'extra-columns', names: unique.names.slice(rawHeader.length) })
      if (raggedCount > 0)
        warnings.push({ kind: 'ragged', count: raggedCount, examples: raggedExamples })
      if (blank > 0) warnings.push({ kind: 'blank-lines', count: blank })
      if (unclosedQuote !== undefined)
        warnings.push({ kind: 'unclosed-quote', line: unclosedQuote })
      for (const d of data) d.seal()
      const table = {
        delimiter,
        delimiterSource,
        newline,
        hasHeader,
        headerSource,
        header: unique.names,
        rawHeader: [...rawHeader, ...extraNames.map(() => '')],
        renamedHeaders: unique.renamed,
        data,
        rowCount,
        lines,
        warnings,
        truncated,
      } as Omit<CsvTable, 'rows'> as CsvTable
      let rows: string[][] | undefined
      // Not enumerable: spreading or posting a table never builds them.
      Object.defineProperty(table, 'rows', {
        get: () => (rows ??= tableRows(table, 0, rowCount)),
        enumerable: false,
      })
      return { ok: true, table }
    },
    rowCount: () => rowCount,
    full: () => truncated,
  }
}

/** How many times `ch` occurs in `s` before `end`. */
function countUpTo(s: string, ch: string, end: number): number {
  let n = 0
  for (let i = s.indexOf(ch); i !== -1 && i < end; i = s.indexOf(ch, i + 1)) n++
  return n
}

/** Rows `from` to `to` (exclusive) of a table as arrays of strings (a preview, tests). */
export function tableRows(table: Pick<CsvTable, 'data'>, from: number, to: number): string[][] {
  const out: string[][] = []
  for (let r = from; r < to; r++) out.push(table.data.map((d) => d.get(r)))
  return out
}

/** Parses a whole CSV text at once (tests, small pastes). */
export function parseCsvText(text: string, options: CsvTextOptions = {}): CsvTableResult {
  const reader = createCsvTextReader(options)
  const refusal = reader.push(text)
  if (refusal) return { ok: false, refusal }
  return reader.end()
}
