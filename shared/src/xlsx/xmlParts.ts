import type { SaxesParser as Parser, SaxesTagPlain } from 'saxes'
import type { XlsxGuardResult } from './zipGuard.js'
import { readZipDirectory } from './zipGuard.js'

/**
 * Streaming reads of a workbook's XML parts (issue #15 §1, import memory): each part is inflated
 * chunk by chunk with the platform's `DecompressionStream` and fed to `saxes` (a maintained
 * streaming XML parser), so no part — above all the worksheet, ~100 MB of XML for 100,000 × 12 —
 * is ever held whole. The glue below (zip entry → text chunks → element callbacks, and the small
 * parts' few elements) is hand-written: no library we found streams one zip entry into a SAX parser
 * without holding the entry. `guardXlsxBytes` has checked every entry (sizes, DTD) before this runs.
 */

/** Element callbacks: names without their namespace prefix, attributes as written. */
export interface XmlHandlers {
  open?(name: string, attrs: Record<string, string>, selfClosing: boolean): void
  close?(name: string): void
  text?(text: string): void
}

/** The local part of a qualified name (`x:c` → `c`, `r:id` → `id`). */
function local(name: string): string {
  const i = name.indexOf(':')
  return i === -1 ? name : name.slice(i + 1)
}

/** An attribute by local name, whatever its prefix (`r:id` → `id`). */
function attrByLocal(attrs: Record<string, string>, name: string): string | undefined {
  if (attrs[name] !== undefined) return attrs[name]
  for (const k in attrs) if (k.endsWith(`:${name}`)) return attrs[k]
  return undefined
}

/**
 * saxes, loaded on first use: it is CommonJS, which bundlers cannot tree-shake, so a static import
 * would put it in every chunk that imports `@taizhang/shared/xlsx` (the main thread's export too).
 */
let saxes: Promise<typeof Parser> | undefined
const loadSaxes = () => (saxes ??= import('saxes').then((m) => m.SaxesParser))

/** A SAX parser calling `h`; `write` it chunks of text, then `close`. Throws on malformed XML. */
async function xmlStream(h: XmlHandlers): Promise<{ write(chunk: string): void; close(): void }> {
  const SaxesParser = await loadSaxes()
  const p = new SaxesParser({ xmlns: false, position: false })
  if (h.open)
    p.on('opentag', (tag: SaxesTagPlain) =>
      h.open!(local(tag.name), tag.attributes, tag.isSelfClosing),
    )
  if (h.close) p.on('closetag', (tag) => h.close!(local(tag.name)))
  if (h.text) {
    p.on('text', h.text)
    p.on('cdata', h.text)
  }
  return {
    write: (chunk) => {
      p.write(chunk)
    },
    close: () => {
      p.close()
    },
  }
}

/** The zip's entries by name, with where their data starts (directory already guarded). */
export interface ZipIndex {
  bytes: Uint8Array
  entries: Map<string, { method: number; compressed: number; size: number; dataStart: number }>
}

export function zipIndex(bytes: Uint8Array): ZipIndex | XlsxGuardResult {
  const dir = readZipDirectory(bytes)
  if ('ok' in dir) return dir
  const entries: ZipIndex['entries'] = new Map()
  for (const e of dir.entries) entries.set(e.name.replace(/^\//, ''), e)
  return { bytes, entries }
}

/** Slices of stored data handed to the text decoder at a time. */
const CHUNK = 256 * 1024

/**
 * Streams one entry's text to `onText` (UTF-8, decoded across chunk boundaries). Returns false when
 * the entry does not exist. The inflate stops past the entry's declared size.
 */
export async function streamEntryText(
  zip: ZipIndex,
  name: string,
  onText: (chunk: string) => void,
): Promise<boolean> {
  const e = zip.entries.get(name)
  if (!e) return false
  const data = zip.bytes.subarray(e.dataStart, e.dataStart + e.compressed)
  const decoder = new TextDecoder('utf-8')
  if (e.method === 0) {
    for (let at = 0; at < data.length; at += CHUNK)
      onText(decoder.decode(data.subarray(at, at + CHUNK), { stream: true }))
    onText(decoder.decode())
    return true
  }
  const inflater = new DecompressionStream('deflate-raw')
  const writer = inflater.writable.getWriter()
  // The write settles only as the output is read; its failure is the reader's failure below.
  writer
    .write(data as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined)
  const reader = inflater.readable.getReader()
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > e.size) {
      await reader.cancel()
      throw new Error(`${name} inflates past its declared size`)
    }
    onText(decoder.decode(value, { stream: true }))
  }
  onText(decoder.decode())
  return true
}

/** Parses one entry with `h`; false when it does not exist. */
export async function parseEntry(zip: ZipIndex, name: string, h: XmlHandlers): Promise<boolean> {
  const x = await xmlStream(h)
  const found = await streamEntryText(zip, name, x.write)
  if (found) x.close()
  return found
}

/** A part's relationships: id → { type (last path segment), target resolved to a zip path }. */
export async function readRels(
  zip: ZipIndex,
  part: string,
): Promise<Map<string, { type: string; target: string }>> {
  const slash = part.lastIndexOf('/')
  const dir = slash === -1 ? '' : part.slice(0, slash + 1)
  const relsName = `${dir}_rels/${part.slice(slash + 1)}.rels`
  const out = new Map<string, { type: string; target: string }>()
  await parseEntry(zip, relsName, {
    open(name, a) {
      if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return
      out.set(a.Id, {
        type: (a.Type ?? '').slice((a.Type ?? '').lastIndexOf('/') + 1),
        target: resolvePath(dir, a.Target),
      })
    },
  })
  return out
}

/** A relationship target as a zip path: absolute (`/xl/…`) or relative to the part's folder. */
export function resolvePath(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir + target).split('/')
  const out: string[] = []
  for (const p of parts) {
    if (p === '..') out.pop()
    else if (p !== '.' && p !== '') out.push(p)
  }
  return out.join('/')
}

/** OOXML's `_xHHHH_` escapes in strings (`_x000D_` for a carriage return). */
export function unescapeOoxml(s: string): string {
  return s.includes('_x')
    ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    : s
}

/**
 * The shared strings, streamed: each `<si>`'s text — plain or rich text runs joined, phonetic
 * guides (`<rPh>`) left out.
 */
export async function readSharedStrings(
  zip: ZipIndex,
  path: string | undefined,
): Promise<string[]> {
  const out: string[] = []
  if (!path) return out
  let cur: string | undefined
  let inT = false
  let phonetic = 0
  await parseEntry(zip, path, {
    open(name, _a, selfClosing) {
      if (name === 'si') cur = ''
      else if (name === 'rPh') phonetic += selfClosing ? 0 : 1
      else if (name === 't' && !selfClosing) inT = phonetic === 0 && cur !== undefined
    },
    close(name) {
      if (name === 't') inT = false
      else if (name === 'rPh') phonetic--
      else if (name === 'si' && cur !== undefined) {
        out.push(unescapeOoxml(cur))
        cur = undefined
      }
    },
    text(t) {
      if (inT) cur += t
    },
  })
  return out
}

/** Each cell style's (`cellXfs` index) number format id, and the file's own format codes. */
export async function readStyles(
  zip: ZipIndex,
  path: string | undefined,
): Promise<{ xfFormats: number[]; formats: Map<number, string> }> {
  const xfFormats: number[] = []
  const formats = new Map<number, string>()
  if (!path) return { xfFormats, formats }
  let inCellXfs = false
  await parseEntry(zip, path, {
    open(name, a, selfClosing) {
      if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined)
        formats.set(Number(a.numFmtId), a.formatCode)
      else if (name === 'cellXfs') inCellXfs = !selfClosing
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0) || 0)
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false
    },
  })
  return { xfFormats, formats }
}

/** The document title (`docProps/core.xml`, `dc:title`). */
export async function readTitle(zip: ZipIndex, path: string): Promise<string | undefined> {
  let title: string | undefined
  let inTitle = false
  await parseEntry(zip, path, {
    open(name, _a, selfClosing) {
      inTitle = name === 'title' && !selfClosing
      if (inTitle) title = ''
    },
    close() {
      inTitle = false
    },
    text(t) {
      if (inTitle) title += t
    },
  })
  return title?.trim() || undefined
}

/** The workbook part: its worksheets (name, relationship id, hidden) and the date system. */
export async function readWorkbookPart(
  zip: ZipIndex,
  path: string,
): Promise<{ sheets: { name: string; rid: string; hidden: boolean }[]; date1904: boolean }> {
  const sheets: { name: string; rid: string; hidden: boolean }[] = []
  let date1904 = false
  /** Inside `<extLst>`: Excel 365 writes a second `<x15:workbookPr chartTrackingRefBase="1"/>`
   * there, without `date1904`; only the workbook's own `<workbookPr>` says the date system. */
  let ext = 0
  await parseEntry(zip, path, {
    close(name) {
      if (name === 'extLst') ext--
    },
    open(name, a, selfClosing) {
      if (name === 'extLst' && !selfClosing) ext++
      else if (name === 'workbookPr') {
        if (ext === 0) date1904 = a.date1904 === '1' || a.date1904 === 'true'
      } else if (name === 'sheet' && a.name !== undefined)
        sheets.push({
          name: unescapeOoxml(a.name),
          rid: attrByLocal(a, 'id') ?? '',
          hidden: a.state === 'hidden' || a.state === 'veryHidden',
        })
    },
  })
  return { sheets, date1904 }
}
