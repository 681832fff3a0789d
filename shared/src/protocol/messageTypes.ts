/**
 * Wire message types on a Taizhang sync socket. 0–3 are the standard y-websocket types; `durable`
 * is Taizhang's acknowledgement extension (SYNC.md "ACK"), sent only to clients that opt in.
 */
export const MESSAGE_TYPE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client: `varUint(100) · varUint8Array(encodeStateVector(durable doc))`. */
  durable: 100,
  /**
   * access (issue 16): server → author of a refused update: `varUint(101) · varString(JSON
   * { count, refused })` (SYNC.md "Access refusals"). Sent to every client; older ones ignore it.
   */
  refused: 101,
} as const
export type MessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE]

/** Sub-types inside a `sync` message (y-protocols/sync). */
export const SYNC_STEP = { step1: 0, step2: 1, update: 2 } as const
export type SyncStep = (typeof SYNC_STEP)[keyof typeof SYNC_STEP]

/** The acknowledgement message type number, for `provider.messageHandlers[ACK_TYPE]`. */
export const ACK_TYPE = MESSAGE_TYPE.durable

/**
 * Query parameter that opts a socket into acknowledgements. Pass `params: { ...ACK_PARAMS, token }`
 * to y-websocket's `WebsocketProvider`.
 */
export const ACK_PARAMS = { ack: '1' } as const

/** Path prefix of the sync endpoint: connect with `new WebsocketProvider(`${origin}${SYNC_PATH}`, id, doc)`. */
export const SYNC_PATH = '/sync'
