import type { CsvEncoding } from './encodings.js'
import type { CsvRefusal, CsvWarning } from './issues.js'
import { CSV_CHUNK_BYTES, MAX_CSV_BYTES } from './limits.js'
import { type CsvTable, type CsvTextOptions, createCsvTextReader } from './parseCsv.js'
import { SNIFF_BYTES, sniffBytes } from './sniff.js'
import { createTextDecoder } from './textCodec.js'

export interface CsvReadOptions extends CsvTextOptions {
  /** `auto` (default) sniffs: BOM, then strict UTF-8, then GB18030 (rule CSV2). */
  encoding?: CsvEncoding | 'auto'
}

/** Where the encoding came from, so the dialog can say "检测为 GB18030" and offer to change it. */
export type EncodingSource = 'bom' | 'detected' | 'user'

export type CsvReadResult =
  | {
      ok: true
      table: CsvTable
      encoding: CsvEncoding
      encodingSource: EncodingSource
      bytes: number
    }
  | { ok: false; refusal: CsvRefusal; encoding?: CsvEncoding }

/** Random access to a file's bytes: a browser `File`, a Node file handle or a buffer. */
export interface CsvByteSource {
  readonly size: number
  read(start: number, end: number): Uint8Array | Promise<Uint8Array>
}

export interface CsvReadProgress {
  bytesRead: number
  totalBytes: number
  rows: number
}

/** Progress and cancellation hooks for streaming reads (checked once per chunk). */
export interface CsvReadControl {
  onProgress?(p: CsvReadProgress): void
  isCancelled?(): boolean
  chunkBytes?: number
}

/** Wraps bytes in memory as a source. */
export function bytesSource(bytes: Uint8Array): CsvByteSource {
  return { size: bytes.length, read: (s, e) => bytes.subarray(s, e) }
}

function countReplacements(text: string): number {
  let n = 0
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n++
  return n
}

/** Bytes decoded and parsed at a time within a read chunk. */
const PARSE_PIECE_BYTES = 48 * 1024

type Plan = { encoding: CsvEncoding; bomLength: number; fatal: boolean; source: EncodingSource }

/** One decoding pass; `mismatch` means strict UTF-8 failed and the caller should retry as GB18030. */
function createPass(plan: Plan, options: CsvReadOptions) {
  const decoder = createTextDecoder(plan.encoding, plan.fatal)
  const reader = createCsvTextReader(options)
  let replacements = 0
  const feed = (text: string): CsvRefusal | undefined => {
    if (!plan.fatal) replacements += countReplacements(text)
    return reader.push(text)
  }
  return {
    reader,
    push(bytes: Uint8Array): CsvRefusal | 'mismatch' | undefined {
      let text: string
      try {
        text = decoder.decode(bytes, { stream: true })
      } catch {
        return 'mismatch'
      }
      return feed(text)
    },
    end(): { refusal?: CsvRefusal | 'mismatch'; replacements: number } {
      let text: string
      try {
        text = decoder.decode()
      } catch {
        return { refusal: 'mismatch', replacements }
      }
      const r = feed(text)
      return r ? { refusal: r, replacements } : { replacements }
    },
  }
}

function planFor(head: Uint8Array, complete: boolean, options: CsvReadOptions): Plan | CsvRefusal {
  const sniff = sniffBytes(head, complete)
  if (sniff.kind === 'empty') return { kind: 'empty' }
  if (sniff.kind === 'binary') return { kind: 'binary', format: sniff.format }
  if (options.encoding && options.encoding !== 'auto') {
    // A user override still skips a BOM of the same encoding.
    const bom = sniff.encoding === options.encoding ? sniff.bomLength : 0
    return { encoding: options.encoding, bomLength: bom, fatal: false, source: 'user' }
  }
  return {
    encoding: sniff.encoding,
    bomLength: sniff.bomLength,
    fatal: sniff.encoding === 'utf-8',
    source: sniff.bomLength > 0 ? 'bom' : 'detected',
  }
}

/**
 * Reads a CSV file from any byte source in chunks (rules CSV1–CSV4, CSV7): sniffs, decodes with a
 * streaming `TextDecoder` (multi-byte characters split across chunks decode correctly), parses with
 * papaparse, and returns the table or a refusal. UTF-8 is decoded strictly; when a later chunk turns out
 * not to be UTF-8 the file is read again as GB18030.
 */
export async function readCsvSource(
  source: CsvByteSource,
  options: CsvReadOptions = {},
  control: CsvReadControl = {},
): Promise<CsvReadResult> {
  const size = source.size
  if (size > MAX_CSV_BYTES)
    return { ok: false, refusal: { kind: 'too-large', bytes: size, limit: MAX_CSV_BYTES } }
  const chunk = Math.max(1, control.chunkBytes ?? CSV_CHUNK_BYTES)
  const head = await source.read(0, Math.min(size, Math.max(chunk, SNIFF_BYTES)))
  const planned = planFor(head, head.length >= size, options)
  if ('kind' in planned) return { ok: false, refusal: planned }
  let plan = planned
  const warnings: CsvWarning[] = []
  for (;;) {
    const pass = createPass(plan, options)
    let outcome: CsvRefusal | 'mismatch' | undefined
    let pos = plan.bomLength
    while (pos < size && !pass.reader.full()) {
      if (control.isCancelled?.())
        return { ok: false, refusal: { kind: 'cancelled' }, encoding: plan.encoding }
      const end = Math.min(size, pos + chunk)
      const bytes =
        pos === 0 && end <= head.length ? head.subarray(0, end) : await source.read(pos, end)
      pos = end
      // Decoded and parsed a piece at a time: each piece's text (under V8's large-object size)
      // dies young, instead of ~2 MB strings that wait for a full collection.
      for (let at = 0; at < bytes.length && !outcome; at += PARSE_PIECE_BYTES)
        outcome = pass.push(bytes.subarray(at, Math.min(bytes.length, at + PARSE_PIECE_BYTES)))
      if (outcome) break
      control.onProgress?.({ bytesRead: pos, totalBytes: size, rows: pass.reader.rowCount() })
    }
    let replacements = 0
    if (!outcome && !pass.reader.full()) {
      const ended = pass.end()
      outcome = ended.refusal
      replacements = ended.replacements
    }
    if (outcome === 'mismatch') {
      plan = { encoding: 'gb18030', bomLength: 0, fatal: false, source: 'detected' }
      warnings.push({ kind: 'utf8-fallback' })
      continue
    }
    if (outcome) return { ok: false, refusal: outcome, encoding: plan.encoding }
    if (control.isCancelled?.())
      return { ok: false, refusal: { kind: 'cancelled' }, encoding: plan.encoding }
    const result = pass.reader.end()
    if (!result.ok) return { ok: false, refusal: result.refusal, encoding: plan.encoding }
    if (replacements > 0) warnings.push({ kind: 'replacement-chars', count: replacements })
    result.table.warnings.unshift(...warnings)
    return {
      ok: true,
      table: result.table,
      encoding: plan.encoding,
      encodingSource: plan.source,
      bytes: size,
    }
  }
}
