import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { ACK_TYPE } from './messageTypes.js'

/** Encodes the acknowledgement message for a durable state vector (as `Y.encodeStateVector` gives). */
export function writeDurableMessage(encodedStateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, ACK_TYPE)
  encoding.writeVarUint8Array(encoder, encodedStateVector)
  return encoding.toUint8Array(encoder)
}

/** Reads the body of an acknowledgement message (after its type) as a clientID → clock map. */
export function readDurableBody(decoder: decoding.Decoder): Map<number, number> {
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder))
}

/** Decodes a whole acknowledgement message; throws if it is not one. */
export function readDurableMessage(message: Uint8Array): Map<number, number> {
  const decoder = decoding.createDecoder(message)
  const type = decoding.readVarUint(decoder)
  if (type !== ACK_TYPE) throw new Error(`not a durable message: type ${type}`)
  return readDurableBody(decoder)
}

/**
 * A y-websocket message handler as y-websocket 3 calls it: `(encoder, decoder, provider, emitSynced,
 * messageType)`. The rest parameters are `never` so any provider's handler array accepts ours.
 */
export type MessageHandler = (
  encoder: encoding.Encoder,
  decoder: decoding.Decoder,
  ...rest: never[]
) => void

/** The part of y-websocket's `WebsocketProvider` the ack helper needs (structural, no import). */
export interface AckCapableProvider {
  messageHandlers: Array<MessageHandler | undefined>
}

/**
 * Registers the acknowledgement handler on one provider (y-websocket 3 keeps `messageHandlers`
 * per instance). The provider must connect with `params: { ack: '1', … }` (`ACK_PARAMS`) or the
 * server never sends acks. Returns a function that removes the handler.
 *
 * @example
 * const provider = new WebsocketProvider(url, id, doc, { params: { ...ACK_PARAMS, token } })
 * const stop = installAckHandler(provider, (sv) => setPending(pendingFromStateVectors(Y.decodeStateVector(Y.encodeStateVector(doc)), sv, [doc.clientID])))
 */
export function installAckHandler(
  provider: AckCapableProvider,
  onDurable: (durable: Map<number, number>) => void,
): () => void {
  const handler: MessageHandler = (_encoder, decoder) => {
    // Writing nothing to the encoder makes y-websocket send no reply.
    onDurable(readDurableBody(decoder))
  }
  provider.messageHandlers[ACK_TYPE] = handler
  return () => {
    if (provider.messageHandlers[ACK_TYPE] === handler)
      provider.messageHandlers[ACK_TYPE] = undefined
  }
}

/**
 * Counts local changes not yet durable on the server: for each of `clientIds` (this device's
 * Yjs client ids), how far the local clock is ahead of the durable one, summed. Units are Yjs
 * clock ticks (one per inserted item or character). A pure deletion does not advance a clock, so
 * it is invisible here; Taizhang's model deletes softly (a map write), which does.
 */
export function pendingFromStateVectors(
  local: ReadonlyMap<number, number>,
  durable: ReadonlyMap<number, number>,
  clientIds: Iterable<number>,
): number {
  let pending = 0
  for (const id of clientIds) {
    const ahead = (local.get(id) ?? 0) - (durable.get(id) ?? 0)
    if (ahead > 0) pending += ahead
  }
  return pending
}

/** Whether everything in `local` (all clients) is covered by `durable`. */
export function isCoveredBy(
  local: ReadonlyMap<number, number>,
  durable: ReadonlyMap<number, number>,
): boolean {
  for (const [id, clock] of local) if ((durable.get(id) ?? 0) < clock) return false
  return true
}
