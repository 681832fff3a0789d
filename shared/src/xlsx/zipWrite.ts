import { readZipDirectory } from './zipGuard.js'

/** A part already deflated (raw deflate), with the CRC-32 and size of its content. */
export interface Deflated {
  deflated: Uint8Array
  crc: number
  size: number
}

/**
 * Re-packs a zip that SheetJS wrote *stored* (uncompressed), letting `patch` change parts on the
 * way or hand over a part it deflated itself (`Deflated`, the worksheets `XlsxBookWriter` streams),
 * and deflates every other part with the platform's native `CompressionStream('deflate-raw')`.
 * Hand-written for two reasons: SheetJS's community build cannot write frozen panes, and the rows
 * of a big sheet are written and deflated as they arrive, which SheetJS's one-call `write` cannot.
 * Reading the stored parts needs no inflating, and the native deflater is faster than SheetJS's
 * JavaScript one (BENCHMARKS.md, xlsx).
 */
export async function repackZip(
  stored: Uint8Array,
  patch: (name: string, data: Uint8Array) => Uint8Array | Deflated | undefined,
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
    let crc: number
    let size: number
    let body: Uint8Array
    if (patched && !(patched instanceof Uint8Array)) {
      ;({ crc, size, deflated: body } = patched)
    } else {
      const content = patched ?? data
      crc = patched ? crc32(patched) : e.crc
      size = content.length
      body = await deflateRaw(content)
    }
    const name = enc.encode(e.name)
    const local = new DataView(new ArrayBuffer(30))
    local.setUint32(0, 0x04034b50, true)
    local.setUint16(4, 20, true)
    local.setUint16(6, 0x0800, true) // names are UTF-8
    local.setUint16(8, 8, true)
    local.setUint32(14, crc, true)
    local.setUint32(18, body.length, true)
    local.setUint32(22, size, true)
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
    cd.setUint32(24, size, true)
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
  const sink = new DeflateSink()
  sink.write(data)
  return (await sink.close()).deflated
}

/**
 * A part deflated as it is written, chunk by chunk (the platform's `CompressionStream`), its CRC-32
 * and size counted on the way: only the deflated bytes are kept.
 */
export class DeflateSink {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array<ArrayBuffer>>
  private readonly read: Promise<Uint8Array[]>
  private crc = 0
  private size = 0
  /** A failed write, reported by `close`. */
  private failed: unknown

  constructor() {
    const stream = new CompressionStream('deflate-raw')
    this.writer = stream.writable.getWriter()
    const reader = stream.readable.getReader()
    this.read = (async () => {
      const chunks: Uint8Array[] = []
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return chunks
        chunks.push(value)
      }
    })()
  }

  /** Queues `data` (not awaited: the stream deflates it in order as the reader drains it). */
  write(data: Uint8Array): void {
    this.crc = crc32(data, this.crc)
    this.size += data.length
    // The DOM lib types want a plain ArrayBuffer view.
    this.writer.write(data as Uint8Array<ArrayBuffer>).catch((e: unknown) => {
      this.failed ??= e
    })
  }

  async close(): Promise<Deflated> {
    await this.writer.close()
    const chunks = await this.read
    if (this.failed) throw this.failed
    let n = 0
    for (const c of chunks) n += c.length
    let out: Uint8Array
    if (chunks.length === 1) out = chunks[0]!
    else {
      out = new Uint8Array(n)
      let at = 0
      for (const c of chunks) {
        out.set(c, at)
        at += c.length
      }
    }
    return { deflated: out, crc: this.crc, size: this.size }
  }
}

let table: Uint32Array | undefined

/** CRC-32 (the zip polynomial), table-driven; `prev` continues the CRC of the bytes before. */
export function crc32(data: Uint8Array, prev = 0): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let i = 0; i < 256; i++) {
      let c = i
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[i] = c >>> 0
    }
  }
  const t = table
  let c = ~prev
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}
