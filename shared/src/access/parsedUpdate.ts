/**
 * One Yjs update, decoded at most once (issue 16 §2, access-perf): the server's room validates an
 * incoming update, the attester and the access policy each read its structs and delete set, and
 * before this each of them ran `Y.decodeUpdate` on the same bytes. A `ParsedUpdate` is handed down
 * that pipeline instead of the bytes; the first reader decodes, the others reuse the result.
 *
 * The decoded structs are read, never integrated: `Y.applyUpdate` decodes the bytes itself, so
 * sharing them cannot change what is applied. Readers must not mutate them (none does: the
 * classifier and the attester only read fields).
 */
import * as Y from 'yjs'

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

export class ParsedUpdate {
  private decodedCache: DecodedUpdate | null = null

  constructor(readonly bytes: Uint8Array) {}

  /** The decoded structs and delete set (decoded on first use; throws if the bytes do not decode). */
  get decoded(): DecodedUpdate {
    if (this.decodedCache === null) this.decodedCache = Y.decodeUpdate(this.bytes)
    return this.decodedCache
  }

  /** Whether it has been decoded already (for tests and the room's validation). */
  get isDecoded(): boolean {
    return this.decodedCache !== null
  }
}

/** `update` as a `ParsedUpdate` (the same object when it is one already). */
export function parsedUpdate(update: Uint8Array | ParsedUpdate): ParsedUpdate {
  return update instanceof ParsedUpdate ? update : new ParsedUpdate(update)
}
