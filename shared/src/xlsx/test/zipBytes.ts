/**
 * A minimal zip writer for hostile-file fixtures (issue #15 §1): the archives a crafted attack uses
 * are ones no spreadsheet library would write (lying sizes, 10,001 entries, a DTD in a part), so
 * the tests build them byte by byte. Node's zlib deflates (a test helper; shared's code never uses it).
 */
import { deflateRawSync } from 'node:zlib'

export interface ZipPart {
  name: string
  data: Uint8Array | string
  /** Store without compression. */
  stored?: boolean
  /** Write this uncompressed size in both headers instead of the real one (a lying archive). */
  declaredSize?: number
}

function crc32(data: Uint8Array): number {
  let c = ~0
  for (const b of data) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

export function writeZip(parts: readonly ZipPart[]): Uint8Array {
  const enc = new TextEncoder()
  const chunks: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const p of parts) {
    const raw = typeof p.data === 'string' ? enc.encode(p.data) : p.data
    const body = p.stored ? raw : new Uint8Array(deflateRawSync(raw))
    const name = enc.encode(p.name)
    const size = p.declaredSize ?? raw.length
    const crc = crc32(raw)
    const local = new DataView(new ArrayBuffer(30))
    local.setUint32(0, 0x04034b50, true)
    local.setUint16(4, 20, true)
    local.setUint16(8, p.stored ? 0 : 8, true)
    local.setUint32(14, crc, true)
    local.setUint32(18, body.length, true)
    local.setUint32(22, size, true)
    local.setUint16(26, name.length, true)
    chunks.push(new Uint8Array(local.buffer), name, body)
    const cd = new DataView(new ArrayBuffer(46))
    cd.setUint32(0, 0x02014b50, true)
    cd.setUint16(4, 20, true)
    cd.setUint16(6, 20, true)
    cd.setUint16(10, p.stored ? 0 : 8, true)
    cd.setUint32(16, crc, true)
    cd.setUint32(20, body.length, true)
    cd.setUint32(24, size, true)
    cd.setUint16(28, name.length, true)
    cd.setUint32(42, offset, true)
    central.push(new Uint8Array(cd.buffer), name)
    offset += 30 + name.length + body.length
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0)
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true)
  end.setUint16(8, Math.min(parts.length, 0xffff), true)
  end.setUint16(10, Math.min(parts.length, 0xffff), true)
  end.setUint32(12, cdSize, true)
  end.setUint32(16, offset, true)
  const all = [...chunks, ...central, new Uint8Array(end.buffer)]
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of all) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** The smallest part set a spreadsheet needs (content types, workbook, one sheet). */
export function minimalWorkbookParts(workbookXml?: string): ZipPart[] {
  return [
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    },
    {
      name: 'xl/workbook.xml',
      data:
        workbookXml ??
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1"/></sheets></workbook>',
    },
  ]
}
