import type { CsvEncoding } from './encodings.js'
import { createTextDecoder } from './textCodec.js'

/** How many leading bytes the sniffer looks at. */
export const SNIFF_BYTES = 64 * 1024

/** Non-text files people rename to `.csv` (or pick by mistake). */
export type BinaryFormat =
  | 'xlsx'
  | 'zip'
  | 'xls'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'pdf'
  | 'gzip'
  | '7z'
  | 'rar'
  | 'webp'
  | 'exe'
  /** No known magic number, but NUL bytes: not text in any encoding we read (BMP, EXE, databases…). */
  | 'nul'

export type SniffResult =
  | { kind: 'empty' }
  | { kind: 'binary'; format: BinaryFormat }
  | {
      kind: 'text'
      encoding: CsvEncoding
      /** Bytes of byte-order mark to skip. */
      bomLength: number
      /**
       * False when the sample is plain ASCII (a later GB18030 byte may still turn up) or when UTF-16 was
       * guessed without a BOM. Readers decode UTF-8 strictly and fall back to GB18030 if it fails later.
       */
      confident: boolean
    }

const MAGIC: readonly { bytes: readonly number[]; format: BinaryFormat }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], format: 'zip' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], format: 'zip' },
  { bytes: [0x50, 0x4b, 0x07, 0x08], format: 'zip' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], format: 'xls' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], format: 'png' },
  { bytes: [0xff, 0xd8, 0xff], format: 'jpeg' },
  { bytes: [0x47, 0x49, 0x46, 0x38], format: 'gif' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], format: 'pdf' },
  { bytes: [0x1f, 0x8b], format: 'gzip' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], format: '7z' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], format: 'rar' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], format: 'exe' },
]

function startsWith(b: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (b.length < at + magic.length) return false
  for (let i = 0; i < magic.length; i++) if (b[at + i] !== magic[i]) return false
  return true
}

function containsAscii(b: Uint8Array, needle: string): boolean {
  const n = needle.length
  outer: for (let i = 0; i + n <= b.length; i++) {
    for (let j = 0; j < n; j++) if (b[i + j] !== needle.charCodeAt(j)) continue outer
    return true
  }
  return false
}

/** Recognises binary formats by their magic numbers; undefined when none matches. */
export function detectBinaryFormat(head: Uint8Array): BinaryFormat | undefined {
  for (const m of MAGIC) {
    if (!startsWith(head, m.bytes)) continue
    if (m.format === 'zip') {
      // An .xlsx (or WPS .et saved as xlsx) is a ZIP whose first entries name the workbook parts.
      const probe = head.subarray(0, 4096)
      if (containsAscii(probe, '[Content_Types].xml') || containsAscii(probe, 'xl/')) return 'xlsx'
    }
    return m.format
  }
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8))
    return 'webp'
  return undefined
}

/** Guesses UTF-16 without a BOM from the NUL pattern of ASCII text; undefined when not UTF-16-like. */
function guessUtf16(sample: Uint8Array): CsvEncoding | undefined {
  const n = Math.min(sample.length, 4096) & ~1
  if (n < 4) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenNul++
    if (sample[i + 1] === 0) oddNul++
  }
  const pairs = n / 2
  if (oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le'
  if (evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be'
  return undefined
}

/**
 * Decides what a file is from its first bytes (rule CSV1): empty, binary, or text in one of the
 * encodings Chinese Excel and WPS write. `complete` says the sample is the whole file, so a multi-byte
 * sequence cut at its end is an error rather than the sample's edge.
 */
export function sniffBytes(sample: Uint8Array, complete: boolean): SniffResult {
  if (sample.length === 0) return { kind: 'empty' }
  if (startsWith(sample, [0xef, 0xbb, 0xbf]))
    return sample.length === 3 && complete
      ? { kind: 'empty' }
      : { kind: 'text', encoding: 'utf-8', bomLength: 3, confident: true }
  if (startsWith(sample, [0xff, 0xfe]))
    return sample.length === 2 && complete
      ? { kind: 'empty' }
      : { kind: 'text', encoding: 'utf-16le', bomLength: 2, confident: true }
  if (startsWith(sample, [0xfe, 0xff]))
    return sample.length === 2 && complete
      ? { kind: 'empty' }
      : { kind: 'text', encoding: 'utf-16be', bomLength: 2, confident: true }
  if (startsWith(sample, [0x84, 0x31, 0x95, 0x33]))
    return { kind: 'text', encoding: 'gb18030', bomLength: 4, confident: true }

  const binary = detectBinaryFormat(sample)
  if (binary) return { kind: 'binary', format: binary }

  if (sample.indexOf(0) !== -1) {
    const utf16 = guessUtf16(sample)
    if (utf16) return { kind: 'text', encoding: utf16, bomLength: 0, confident: false }
    return { kind: 'binary', format: 'nul' }
  }

  let ascii = true
  for (let i = 0; i < sample.length; i++) {
    if (sample[i]! >= 0x80) {
      ascii = false
      break
    }
  }
  if (ascii) return { kind: 'text', encoding: 'utf-8', bomLength: 0, confident: false }
  return {
    kind: 'text',
    encoding: isValidUtf8(sample, complete) ? 'utf-8' : 'gb18030',
    bomLength: 0,
    confident: true,
  }
}

/** Strict UTF-8 check; with `complete` false a sequence cut at the end of the sample is allowed. */
export function isValidUtf8(bytes: Uint8Array, complete: boolean): boolean {
  const d = createTextDecoder('utf-8', true)
  try {
    d.decode(bytes, { stream: !complete })
    return true
  } catch {
    return false
  }
}
