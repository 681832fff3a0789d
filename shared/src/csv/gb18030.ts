/**
 * A GB18030 encoder for CSV export ("old Excel" option).
 *
 * Why not a library: shared may depend only on yjs, lib0 and papaparse, and iconv-lite needs Node's
 * Buffer; the small pure-JS candidates on npm are unmaintained GBK-only tables (gbk.js, 2011) that lose
 * four-byte characters such as 𠀀 or 㐀. Instead this encoder is table-driven, and the table is built
 * once, lazily, by running the platform's own WHATWG `TextDecoder('gb18030')` over every two-byte and
 * BMP four-byte sequence (~64k sequences, a few milliseconds). So the encoder is by construction the
 * exact inverse of the decoder we import with (rule CSV11), and nothing large is committed or bundled.
 * Supplementary-plane characters are mapped arithmetically (GB18030 assigns them linearly from 0x90308130).
 */
import { createTextDecoder } from './textCodec.js'

/** Packed bytes per BMP code unit: 0 = unmapped; < 0x10000 = two bytes; otherwise four bytes. */
let table: Uint32Array | undefined

const FOUR_BYTE_FLAG = 0x8000_0000

function fourBytesOfPointer(p: number): [number, number, number, number] {
  const b1 = Math.floor(p / 12600)
  const r1 = p % 12600
  const b2 = Math.floor(r1 / 1260)
  const r2 = r1 % 1260
  const b3 = Math.floor(r2 / 10)
  const b4 = r2 % 10
  return [b1 + 0x81, b2 + 0x30, b3 + 0x81, b4 + 0x30]
}

function buildTable(): Uint32Array {
  const t = new Uint32Array(0x10000)
  const decoder = createTextDecoder('gb18030', false)

  // Two-byte sequences: lead 0x81–0xFE, trail 0x40–0x7E or 0x80–0xFE (every pointer is defined).
  const pairs: number[] = []
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail)
  const twoBytes = Uint8Array.from(pairs)
  const twoText = decoder.decode(twoBytes)
  const pairCount = pairs.length / 2
  for (let i = 0; i < pairCount; i++) {
    const ch =
      twoText.length === pairCount
        ? twoText.charCodeAt(i)
        : decoder.decode(twoBytes.subarray(2 * i, 2 * i + 2)).charCodeAt(0)
    if (ch === 0xfffd || ch < 0x80) continue
    if (t[ch] === 0) t[ch] = (twoBytes[2 * i]! << 8) | twoBytes[2 * i + 1]!
  }

  // Four-byte sequences covering the rest of the BMP: pointers 0 … 39419 (0x81308130 … 0x8431A439).
  const BMP_POINTERS = 39420
  const quads = new Uint8Array(BMP_POINTERS * 4)
  for (let p = 0; p < BMP_POINTERS; p++) quads.set(fourBytesOfPointer(p), p * 4)
  const fourText = decoder.decode(quads)
  const aligned = fourText.length === BMP_POINTERS
  for (let p = 0; p < BMP_POINTERS; p++) {
    const ch = aligned
      ? fourText.charCodeAt(p)
      : decoder.decode(quads.subarray(p * 4, p * 4 + 4)).charCodeAt(0)
    if (ch === 0xfffd || ch < 0x80) continue
    if (t[ch] === 0) t[ch] = FOUR_BYTE_FLAG | p
  }
  // U+FFFD itself has a four-byte code (0x8431A437, pointer 39417); the loop skipped it as "invalid".
  t[0xfffd] = FOUR_BYTE_FLAG | 39417
  return t
}

/**
 * Encodes `text` as GB18030. Unpaired surrogates and the ~20 private-use code points that GB18030-2022
 * no longer maps (U+E5E5, U+E78D…) become `?`; `stats.unmappable` counts them so callers can warn.
 */
export function encodeGb18030(text: string, stats?: { unmappable: number }): Uint8Array {
  table ??= buildTable()
  const t = table
  let out = new Uint8Array(text.length * 2 + 16)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    if (n + 4 > out.length) {
      const bigger = new Uint8Array(out.length * 2)
      bigger.set(out)
      out = bigger
    }
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      out[n++] = c
      continue
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        const [b1, b2, b3, b4] = fourBytesOfPointer(189000 + cp - 0x10000)
        out[n++] = b1
        out[n++] = b2
        out[n++] = b3
        out[n++] = b4
        i++
        continue
      }
      out[n++] = 0x3f
      if (stats) stats.unmappable++
      continue
    }
    const code = t[c]!
    if (code === 0) {
      out[n++] = 0x3f // a lone low surrogate or an unmapped private-use code point
      if (stats) stats.unmappable++
    } else if (code & FOUR_BYTE_FLAG) {
      const [b1, b2, b3, b4] = fourBytesOfPointer(code & 0x7fff_ffff)
      out[n++] = b1
      out[n++] = b2
      out[n++] = b3
      out[n++] = b4
    } else {
      out[n++] = code >> 8
      out[n++] = code & 0xff
    }
  }
  return out.slice(0, n)
}
