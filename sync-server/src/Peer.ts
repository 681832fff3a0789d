import type { Scope } from '@taizhang/shared'
import type { Role } from './auth/tokens.js'
import type { WireMessage } from './wsFrame.js'

/** A connection as a room sees it: no socket, just what the room may do with it. */
export interface Peer {
  readonly id: number
  readonly role: Role
  readonly name: string
  /** access (issue 16): a scoped editor's station or district, from its token. */
  readonly scope?: Scope
  /** Stable user id from the token (attestation binds client ids to it). */
  readonly user: string
  /** Opted into the acknowledgement extension (`?ack=1`). */
  readonly wantsAck: boolean
  /** Awareness client ids this connection owns (claimed by its first awareness states). */
  readonly clientIds: Set<number>
  send(message: Uint8Array): void
  /**
   * Sends `parts` as ONE message (WebSocket fragments, no copy): a header and a large payload,
   * e.g. a 20 MB workbook, without concatenating them first.
   */
  sendParts(parts: Uint8Array[]): void
  /**
   * Sends a message framed once for many peers (a broadcast, an ack): the same bytes are written
   * to every socket.
   */
  sendWire(message: WireMessage): void
}
