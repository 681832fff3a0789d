import type { XlsxRefusalReason } from '../csv/issues.js'
import { MAX_XLSX_ENTRIES, MAX_XLSX_UNCOMPRESSED_BYTES } from './limits.js'

/**
 * Checks an .xlsx file's bytes before any part is handed to the spreadsheet library (issue #15 §1,
 * hostile files). Hand-written because no library we use reads a zip's directory without inflating
 * it: SheetJS inflates every entry while it parses the directory, and trusts the sizes it finds.
 *
 * Order: the OLE signature (an encrypted .xlsx or a legacy .xls/.et), then the zip's central
 * directory — entry count and the sum of declared sizes (central and local headers) are capped
 * BEFORE anything is inflated —, then every entry is inflated by a streaming inflater that stops as
 * soon as it passes the size the entry declared (a zip whose headers lie is refused, not trusted),
 * and each XML part's prolog is checked for a DTD (entity expansion).
 */
export type XlsxGuardResult =
  | { ok: true }
  | { ok: false; reason: XlsxRefusalReason; detail?: string }

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const EOCD = 0x06054b50
const CDH = 0x02014b50
const LFH = 0x04034b50

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
}
function u32(b: Uint8Array, at: number): number {
  return (
    ((b[at] ?? 0) |
      ((b[at + 1] ?? 0) << 8) |
      ((b[at + 2] ?? 0) << 16) |
      ((b[at + 3] ?? 0) << 24)) >>>
    0
  )
}

/** Whether `bytes` holds `name` as UTF-16LE (how an OLE directory stores stream names). */
function hasUtf16(bytes: Uint8Array, name: string): boolean {
  const first = name.charCodeAt(0)
  outer: for (let i = 0; i + name.length * 2 <= bytes.length; i++) {
    if (bytes[i] !== first || bytes[i + 1] !== 0) continue
    for (let k = 1; k < name.length; k++)
      if (bytes[i + 2 * k] !== name.charCodeAt(k) || bytes[i + 2 * k + 1] !== 0) continue outer
    return true
  }
  return false
}

/** What the file's first bytes say it is. */
export function sniffSpreadsheet(bytes: Uint8Array): 'zip' | 'ole' | 'other' {
  if (OLE.every((b, i) => bytes[i] === b)) return 'ole'
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip'
  return 'other'
}

interface Entry {
  name: string
  crc: number
  method: number
  flags: number
  compressed: number
  size: number
  dataStart: number
}

/** Reads the central directory; declared sizes only, nothing inflated. */
export function readZipDirectory(bytes: Uint8Array): { entries: Entry[] } | XlsxGuardResult {
  const corrupt = (detail: string): XlsxGuardResult => ({ ok: false, reason: 'corrupt', detail })
  // The end record sits in the last 22 + 65,535 (comment) bytes.
  let eocd = -1
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 0xffff; i--)
    if (u32(bytes, i) === EOCD) {
      eocd = i
      break
    }
  if (eocd < 0) return corrupt('no zip directory')
  const count = u16(bytes, eocd + 10)
  const cdSize = u32(bytes, eocd + 12)
  const cdStart = u32(bytes, eocd + 16)
  if (count === 0xffff || cdStart === 0xffffffff) return corrupt('zip64')
  if (count > MAX_XLSX_ENTRIES)
    return { ok: false, reason: 'zip-bomb', detail: `${count} > ${MAX_XLSX_ENTRIES} entries` }
  if (cdStart + cdSize > bytes.length) return corrupt('directory past the end')
  const entries: Entry[] = []
  let declared = 0
  let at = cdStart
  const decoder = new TextDecoder()
  for (let i = 0; i < count; i++) {
    if (u32(bytes, at) !== CDH) return corrupt('bad directory entry')
    const flags = u16(bytes, at + 8)
    const method = u16(bytes, at + 10)
    const crc = u32(bytes, at + 16)
    const compressed = u32(bytes, at + 20)
    const size = u32(bytes, at + 24)
    const nameLen = u16(bytes, at + 28)
    const extraLen = u16(bytes, at + 30)
    const commentLen = u16(bytes, at + 32)
    const local = u32(bytes, at + 42)
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen))
    at += 46 + nameLen + extraLen + commentLen
    if (compressed === 0xffffffff || size === 0xffffffff || local === 0xffffffff)
      return corrupt('zip64')
    if (u32(bytes, local) !== LFH) return corrupt('bad local header')
    const localFlags = u16(bytes, local + 6)
    if ((flags | localFlags) & 0x41) return { ok: false, reason: 'encrypted' }
    if (method !== 0 && method !== 8) return corrupt(`compression method ${method}`)
    // SheetJS sizes its output from the local header: both must agree with the directory (a data
    // descriptor, flag 8, leaves the local sizes 0).
    const localSize = u32(bytes, local + 22)
    const localCompressed = u32(bytes, local + 18)
    if (!(localFlags & 8) && (localSize !== size || localCompressed !== compressed))
      return corrupt('sizes disagree')
    const dataStart = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28)
    if (dataStart + compressed > bytes.length) return corrupt('entry past the end')
    declared += size
    if (declared > MAX_XLSX_UNCOMPRESSED_BYTES)
      return {
        ok: false,
        reason: 'zip-bomb',
        detail: `> ${MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024} MiB`,
      }
    entries.push({ name, crc, method, flags, compressed, size, dataStart })
  }
  return { entries }
}

const DTD = /<!(DOCTYPE|ENTITY)/i

/**
 * The whole check (see the module comment). Inflating uses the platform's streaming
 * `DecompressionStream('deflate-raw')` (browsers, Node ≥ 18), the one standard inflater with a
 * bounded, cancellable output.
 */
export async function guardXlsxBytes(bytes: Uint8Array): Promise<XlsxGuardResult> {
  const kind = sniffSpreadsheet(bytes)
  if (kind === 'ole')
    return hasUtf16(bytes, 'EncryptedPackage') || hasUtf16(bytes, 'EncryptionInfo')
      ? { ok: false, reason: 'encrypted' }
      : { ok: false, reason: 'legacy' }
  if (kind !== 'zip') return { ok: false, reason: 'not-spreadsheet' }
  const dir = readZipDirectory(bytes)
  if ('ok' in dir) return dir
  const names = new Set(dir.entries.map((e) => e.name))
  if (
    !names.has('[Content_Types].xml') ||
    !dir.entries.some((e) => e.name.startsWith('xl/workbook'))
  )
    return { ok: false, reason: 'not-spreadsheet' }
  const head = new TextDecoder()
  for (const e of dir.entries) {
    const data = bytes.subarray(e.dataStart, e.dataStart + e.compressed)
    const isXml = /\.(xml|rels|vml)$/i.test(e.name)
    if (e.method === 0) {
      if (e.compressed !== e.size) return { ok: false, reason: 'corrupt', detail: e.name }
      if (isXml && DTD.test(head.decode(data.subarray(0, 1024))))
        return { ok: false, reason: 'entities' }
      continue
    }
    const r = await inflateBounded(
      data,
      e.size,
      isXml ? (h) => DTD.test(head.decode(h)) : undefined,
    )
    if (r === 'dtd') return { ok: false, reason: 'entities' }
    if (r === 'over')
      return { ok: false, reason: 'zip-bomb', detail: `${e.name} inflates past its declared size` }
    if (r === 'bad' || r !== e.size) return { ok: false, reason: 'corrupt', detail: e.name }
  }
  return { ok: true }
}

/**
 * Inflates `data` with the platform's streaming `DecompressionStream`, counting bytes and stopping
 * past `limit`; `dtd` looks at the first kilobyte. Returns the size, or why it stopped.
 */
async function inflateBounded(
  data: Uint8Array,
  limit: number,
  dtd: ((head: Uint8Array) => boolean) | undefined,
): Promise<number | 'over' | 'dtd' | 'bad'> {
  const inflater = new DecompressionStream('deflate-raw')
  const writer = inflater.writable.getWriter()
  // The write settles only as the output is read; its failure is the reader's failure below.
  writer
    .write(data as Uint8Array<ArrayBuffer>) // the DOM lib types want a plain ArrayBuffer view
    .then(() => writer.close())
    .catch(() => undefined)
  const reader = inflater.readable.getReader()
  let total = 0
  let head: Uint8Array | undefined = dtd ? new Uint8Array(0) : undefined
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return total
      total += value.length
      if (head && dtd) {
        const joined = new Uint8Array(Math.min(1024, head.length + value.length))
        joined.set(head.subarray(0, joined.length))
        if (joined.length > head.length)
          joined.set(value.subarray(0, joined.length - head.length), head.length)
        head = joined
        if (dtd(head)) {
          await reader.cancel()
          return 'dtd'
        }
        if (head.length >= 1024) head = undefined
      }
      if (total > limit) {
        await reader.cancel()
        return 'over'
      }
    }
  } catch {
    // Invalid deflate data: the stream errors; the file is damaged.
    return 'bad'
  }
}
