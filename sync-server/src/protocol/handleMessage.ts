import { CLOSE, canWrite, MESSAGE_TYPE, SYNC_STEP } from '@taizhang/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as authProtocol from 'y-protocols/auth'
import type { Peer } from '../Peer.js'
import type { Accepted, Room } from '../rooms.js'

type Close = (typeof CLOSE)[keyof typeof CLOSE]

/** What became of one frame. `rejected` names a counted reason (metrics label). */
export type HandleResult =
  | { kind: 'ok' }
  | { kind: 'dropped'; rejected: string }
  | { kind: 'close'; close: Close; rejected: string }

const OK: HandleResult = { kind: 'ok' }

/** The permission-denied message (y-protocols auth) a viewer gets for every change it sends. */
export function permissionDeniedMessage(reason: string): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.auth)
  authProtocol.writePermissionDenied(e, reason)
  return encoding.toUint8Array(e)
}

function syncStep1Message(room: Room): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.sync)
  encoding.writeVarUint(e, SYNC_STEP.step1)
  encoding.writeVarUint8Array(e, room.stateVector())
  return encoding.toUint8Array(e)
}

/**
 * The head of `varUint(sync) varUint(step) varUint8Array(payload)`: sent with the payload as two
 * fragments of one message, because the payload can be a 20 MB workbook that a lib0 encoder (or
 * a concatenation) would copy.
 */
export function syncHead(step: number, payloadLength: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.sync)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint(e, payloadLength)
  return encoding.toUint8Array(e)
}

/** What a peer receives when it joins: our sync step 1 and everyone's presence. */
export function joinMessages(room: Room): Uint8Array[] {
  const out = [syncStep1Message(room)]
  const presence = room.presenceMessage()
  if (presence) out.push(presence)
  return out
}

/**
 * Handles one frame from `peer`: the handler table of the sync protocol. Never throws; a bad frame
 * comes back as `close` so only that connection ends. The result is a promise when the answer
 * needs storage (a cold room: docs/SYNC.md, "Doc-less rooms"); such a promise never rejects.
 */
export function handleMessage(
  room: Room,
  peer: Peer,
  data: Uint8Array,
): HandleResult | Promise<HandleResult> {
  let decoder: decoding.Decoder
  let type: number
  try {
    decoder = decoding.createDecoder(data)
    type = decoding.readVarUint(decoder)
  } catch {
    return { kind: 'close', close: CLOSE.badFrame, rejected: 'bad-frame' }
  }
  try {
    switch (type) {
      case MESSAGE_TYPE.sync:
        return handleSync(room, peer, decoder)
      case MESSAGE_TYPE.awareness: {
        const update = decoding.readVarUint8Array(decoder)
        if (decoding.hasContent(decoder)) return trailing()
        return handleAwareness(room, peer, update)
      }
      case MESSAGE_TYPE.queryAwareness: {
        if (decoding.hasContent(decoder)) return trailing()
        const presence = room.presenceMessage()
        if (presence) peer.send(presence)
        return OK
      }
      case MESSAGE_TYPE.auth:
        // Auth flows server → client only; a client's auth message is ignored, but counted.
        return { kind: 'dropped', rejected: 'client-auth-message' }
      default:
        return { kind: 'close', close: CLOSE.unknownMessageType, rejected: 'unknown-message-type' }
    }
  } catch {
    return { kind: 'close', close: CLOSE.badFrame, rejected: 'bad-frame' }
  }
}

function trailing(): HandleResult {
  return { kind: 'close', close: CLOSE.badFrame, rejected: 'bad-frame' }
}

const INVALID: HandleResult = {
  kind: 'close',
  close: CLOSE.invalidUpdate,
  rejected: 'invalid-update',
}
const UNAVAILABLE: HandleResult = {
  kind: 'close',
  close: CLOSE.unavailable,
  rejected: 'storage-read',
}
const ACCEPTED: Record<Accepted, HandleResult> = {
  ok: OK,
  invalid: INVALID,
  unavailable: UNAVAILABLE,
  // access (issue 16): the room already sent the refusal and counted each reason
  'access-refused': { kind: 'ok' },
  // attestation (issue 13 §4): refused, nothing stored
  'attest-client-bound': {
    kind: 'close',
    close: CLOSE.clientIdBound,
    rejected: 'client-id-bound',
  },
  'attest-binding-write': { kind: 'close', close: CLOSE.attestWrite, rejected: 'attest-write' },
}

function handleSync(
  room: Room,
  peer: Peer,
  decoder: decoding.Decoder,
): HandleResult | Promise<HandleResult> {
  const step = decoding.readVarUint(decoder)
  switch (step) {
    case SYNC_STEP.step1: {
      const sv = decoding.readVarUint8Array(decoder)
      if (decoding.hasContent(decoder)) return trailing()
      // syncStep2 validates the state vector (throws on garbage → bad-frame).
      const payload = room.syncStep2(sv)
      const send = (p: Uint8Array) => {
        peer.sendParts([syncHead(SYNC_STEP.step2, p.length), p])
        return OK
      }
      if (payload instanceof Uint8Array) return send(payload)
      return payload.then(send, () => UNAVAILABLE)
    }
    case SYNC_STEP.step2:
    case SYNC_STEP.update: {
      const update = decoding.readVarUint8Array(decoder)
      if (decoding.hasContent(decoder)) return trailing()
      if (!canWrite(peer.role)) {
        // A viewer's sync step 2 that brings nothing new is the normal handshake, not an edit.
        const verdict = (changes: boolean): HandleResult => {
          if (!changes) return OK
          peer.send(permissionDeniedMessage('read-only: this link lets you view, not edit'))
          return { kind: 'dropped', rejected: 'viewer' }
        }
        let changes: boolean | Promise<boolean>
        try {
          changes = room.wouldChange(update)
        } catch {
          return INVALID
        }
        if (typeof changes === 'boolean') return verdict(changes)
        return changes.then(verdict, () => INVALID)
      }
      const accepted = room.acceptUpdate(
        update,
        peer,
        step === SYNC_STEP.step2 ? 'handshake' : 'live',
      )
      if (typeof accepted === 'string') return ACCEPTED[accepted]
      return accepted.then((a) => ACCEPTED[a])
    }
    default:
      return { kind: 'close', close: CLOSE.unknownMessageType, rejected: 'unknown-message-type' }
  }
}

/**
 * A peer's awareness update: the room keeps the entries this peer may set (Presence.applyFrom) and
 * drops the rest, counted here; a malformed update throws (bad-frame).
 */
function handleAwareness(room: Room, peer: Peer, update: Uint8Array): HandleResult {
  const { spoofed, tooLarge } = room.applyPresence(peer, update)
  if (spoofed > 0) return { kind: 'dropped', rejected: 'awareness-spoof' }
  if (tooLarge > 0) return { kind: 'dropped', rejected: 'awareness-too-large' }
  return OK
}
