/**
 * WebSocket close codes the sync server uses, with the reason text it sends. y-websocket 3 does not
 * reconnect after 4400–4499 (permanent: reconnecting cannot fix it) and does reconnect after anything
 * else, so transient conditions use 4500–4599.
 */
export const CLOSE = {
  /** Server shutting down (standard). */
  goingAway: { code: 1001, reason: 'going-away' },
  /** A frame exceeded the size limit (standard; sent by the ws library). */
  messageTooBig: { code: 1009, reason: 'message-too-big' },
  /** Unexpected server failure (standard). */
  internalError: { code: 1011, reason: 'internal-error' },
  /** Truncated or garbage frame, or trailing bytes. */
  badFrame: { code: 4400, reason: 'bad-frame' },
  /** Token missing, forged or expired (normally refused as HTTP 401 before the upgrade). */
  unauthorized: { code: 4401, reason: 'unauthorized' },
  /** Token valid but does not cover this workbook (normally HTTP 403 before the upgrade). */
  forbidden: { code: 4403, reason: 'forbidden' },
  /** Attestation (issue 13 §4): new edits under a client id bound to another user. */
  clientIdBound: { code: 4409, reason: 'client-id-bound' },
  /** Attestation (issue 13 §4): a write to the server-written `attest` record. */
  attestWrite: { code: 4410, reason: 'attest-write' },
  /** A message type the server does not know. */
  unknownMessageType: { code: 4415, reason: 'unknown-message-type' },
  /** A document update that fails to decode or apply. */
  invalidUpdate: { code: 4422, reason: 'invalid-update' },
  /** Room could not be loaded from storage; retry later. */
  unavailable: { code: 4503, reason: 'room-unavailable' },
  /** The client did not read fast enough and its send buffer passed the bound. */
  slowConsumer: { code: 4508, reason: 'slow-consumer' },
  /** Too much queued before the room finished loading. */
  queueOverflow: { code: 4513, reason: 'queue-overflow' },
  /** Too many messages or bytes per second. */
  rateLimited: { code: 4529, reason: 'rate-limited' },
} as const
export type CloseName = keyof typeof CLOSE
export type CloseCode = (typeof CLOSE)[CloseName]['code']

/** Whether y-websocket's default policy reconnects after this close code. */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500
}
