import { readZipDirectory } from './zipGuard.js'

/**
 * Re-packs a zip that SheetJS wrote *stored* (uncompressed), letting `patch` change parts on the
 * way, and deflates every part with the platform's native `CompressionStream('deflate-raw')`.
 * Hand-written for one reason: SheetJS's community build cannot write frozen panes, so the export
 * adds `<pane … state="frozen"/>` to each sheet's XML itself (see `writeXlsx.ts`). Reading the
 * stored parts needs no inflating, and the native deflater is faster than SheetJS's JavaScript one,
 * so the patch costs less than it saves (BENCHMARKS.md, xlsx).
 */
export async function repackZip(
  stored: Uint8Array,
  patch: (name: string, data: Uint8Array) => Uint8Array | undefined,
): Promise<Uint8Array> {
  const dir = readZipDirectory(stored)
  if ('ok' in dir) throw new Error(`repackZip: ${dir.ok ? 'ok' : dir.reason}`)
  const enc = new TextEncoder()
  const parts: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const e of dir.entries) {
    if (e.method !== 0) throw new Error(`repackZip: ${e.name} is not stored`)
    const data = stored.subarray(e.dataStart, e.dataStart + e.size)
    const patched = patch(e.name, data)
    const content = patched ?? data
    const crc = patched ? crc32(patched) : e.crc
    const body = await deflateRaw(content)
    const name = enc.encode(e.name)
    const local = new DataView(new ArrayBuffer(30))
    local.setUint32(0, 0x04034b50, true)
    local.setUint16(4, 20, true)
    local.setUint16(6, 0x0800, true) // names are UTF-8
    local.setUint16(8, 8, true)
    local.setUint32(14, crc, true)
    local.setUint32(18, body.length, true)
    local.setUint32(22, content.length, true)
    local.setUint16(26, name.length, true)
    parts.push(new Uint8Array(local.buffer), name, body)
    const cd = new DataView(new ArrayBuffer(46))
    cd.setUint32(0, 0x02014b50, true)
    cd.setUint16(4, 20, true)
    cd.setUint16(6, 20, true)
    cd.setUint16(8, 0x0800, true)
    cd.setUint16(10, 8, true)
    cd.setUint32(16, crc, true)
    cd.setUint32(20, body.length, true)
    cd.setUint32(24, content.length, true)
    cd.setUint16(28, name.length, true)
    cd.setUint32(42, offset, true)
    central.push(new Uint8Array(cd.buffer), name)
    offset += 30 + name.length + body.length
  }
  let cdSize = 0
  for (const c of central) cdSize += c.length
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true)
  end.setUint16(8, dir.entries.length, true)
  end.setUint16(10, dir.entries.length, true)
  end.setUint32(12, cdSize, true)
  end.setUint32(16, offset, true)
  const all = [...parts, ...central, new Uint8Array(end.buffer)]
  let total = 0
  for (const c of all) total += c.length
  const out = new Uint8Array(total)
  let at = 0
  for (const c of all) {
    out.set(c, at)
    at += c.length
  }
  return out
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream('deflate-raw')
  const writer = stream.writable.getWriter()
  // Settles as the output is read below; a failure there is the reader's failure.
  writer
    .write(data as Uint8Array<ArrayBuffer>) // the DOM lib types want a plain ArrayBuffer view
    .then(() => writer.close())
    .catch(() => undefined)
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let n = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    n += value.length
  }
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(n)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

let table: Uint32Array | undefined

/** CRC-32 (the zip polynomial), table-driven. */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let i = 0; i < 256; i++) {
      let c = i
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[i] = c >>> 0
    }
  }
  const t = table
  let c = ~0
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}
