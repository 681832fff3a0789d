/**
 * A server → client WebSocket message framed once (RFC 6455: FIN, binary opcode, unmasked as a
 * server's frames are, no extension bits), so a broadcast to 50 peers builds one Buffer and
 * writes the same bytes to every socket instead of framing it per peer (ws frames each `send`
 * anew: an options object, a header Buffer and a corked two-part write per peer).
 */
export interface WireMessage {
  /** The message as the protocol sees it (metrics, limits, the fallback path). */
  readonly payload: Uint8Array
  /** Header and payload in one Buffer, ready for `socket.write`. */
  readonly frame: Buffer
}

const OPCODE_BINARY_FIN = 0x82

export function frameBinary(payload: Uint8Array): WireMessage {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(head + n)
  frame[0] = OPCODE_BINARY_FIN
  if (n < 126) {
    frame[1] = n
  } else if (n < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(n, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2)
    frame.writeUInt32BE(n >>> 0, 6)
  }
  frame.set(payload, head)
  return { payload, frame }
}
