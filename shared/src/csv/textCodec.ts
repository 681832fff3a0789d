/**
 * Access to the platform's WHATWG `TextDecoder` / `TextEncoder` (Node 20 and every browser we support).
 *
 * shared compiles against `lib: ES2023` without DOM or Node types, so we describe the tiny part of the
 * Encoding API we use here instead of pulling in a global type library.
 */

/** The subset of `TextDecoder` we use. */
export interface TextDecoderLike {
  readonly encoding: string
  decode(input?: Uint8Array, options?: { stream?: boolean }): string
}

interface TextDecoderCtor {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoderLike
}

interface TextEncoderLike {
  encode(input: string): Uint8Array
  encodeInto(input: string, dest: Uint8Array): { read: number; written: number }
}

interface CodecGlobals {
  TextDecoder: TextDecoderCtor
  TextEncoder: new () => TextEncoderLike
}

const codecGlobals = globalThis as unknown as CodecGlobals

/** Creates a platform `TextDecoder`; BOM handling is ours (we strip it after sniffing). */
export function createTextDecoder(label: string, fatal: boolean): TextDecoderLike {
  return new codecGlobals.TextDecoder(label, { fatal, ignoreBOM: true })
}

let encoder: TextEncoderLike | undefined

/** UTF-8 encodes `text` with the platform encoder. */
export function encodeUtf8(text: string): Uint8Array {
  encoder ??= new codecGlobals.TextEncoder()
  return encoder.encode(text)
}

/** UTF-8 encodes `text` into `dest` (which must have room: 3 bytes per UTF-16 unit always suffice). */
export function encodeUtf8Into(text: string, dest: Uint8Array): { read: number; written: number } {
  encoder ??= new codecGlobals.TextEncoder()
  return encoder.encodeInto(text, dest)
}
