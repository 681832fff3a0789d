/**
 * Update admission: everything a client's update must pass before a room applies it, in order —
 * it decodes (`parseIncoming`), the access rules allow every change it makes (issue 16 §2,
 * `AccessPolicy`), and attestation allows its client ids and writes (issue 13 §4, `Attester`). A
 * refusal leaves no trace: nothing is applied, stored or broadcast.
 *
 * The update travels as one `ParsedUpdate` (shared/src/access/parsedUpdate.ts): the room's
 * validation decodes it, and the policy's classification and the attester reuse those structs
 * instead of decoding the bytes again (measured: bench/access/inprocess.bench.ts). Moved out of
 * Room.ts (which applies, stores and broadcasts) so the room keeps one call per update here.
 */
import { type AccessIdentity, ParsedUpdate } from '@taizhang/shared'
import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { Attester } from '../attest/Attester.js'
import type { AttestMode, AttestVerdict } from '../attest/checkUpdate.js'
import { bump, type Metrics } from '../metrics.js'
import type { Peer } from '../Peer.js'
import { type AccessPolicy, type PolicyVerdict, refusedMessage } from '../policy/AccessPolicy.js'
import type { Accepted } from './Inbox.js'
import { EMPTY_SV } from './yjsUpdates.js'

/** Updates up to this size are validated with Y.decodeUpdate (objects), larger ones streamed. */
const SMALL_UPDATE_BYTES = 4096

/** An update from a client on its way into a room: parsed once, with how it arrived. */
export interface Incoming {
  parsed: ParsedUpdate
  /** `handshake`: a sync step 2; `live`: a sync update (attestation's relay rule). */
  mode: AttestMode
}

/**
 * Parses `update` fully (every struct, its content and the delete set), or null if it does not
 * decode: applyUpdate on garbage could integrate the structs and then throw in the delete set. A
 * small update is decoded, and the decoded structs kept for the checks; a large one is streamed
 * through diffUpdate against an empty state vector, one struct at a time instead of materialising
 * them all (a cold room's no-op handshake then never holds them; the checks decode it if they run).
 */
export function parseIncoming(update: Uint8Array): ParsedUpdate | null {
  const parsed = new ParsedUpdate(update)
  try {
    if (update.length <= SMALL_UPDATE_BYTES) void parsed.decoded
    else Y.diffUpdate(update, EMPTY_SV)
  } catch {
    return null
  }
  return parsed
}

/** What admission needs of the server. */
export interface AdmissionDeps {
  log: Logger
  metrics: Metrics
  policy?: AccessPolicy
  attester?: Attester
}

/** Who sent the update, as admission reads the connection. */
export type Sender = Pick<Peer, 'id' | 'role' | 'name' | 'scope' | 'user' | 'clientIds' | 'send'>

/**
 * The sender's identity as the rules read it, one frozen object per connection (its role, name
 * and scope are fixed for the connection's life): the checker keys its caches on it without
 * rebuilding the key per update.
 */
const identities = new WeakMap<Sender, AccessIdentity>()
function identityOf(sender: Sender): AccessIdentity {
  let who = identities.get(sender)
  if (!who) {
    who = Object.freeze({
      role: sender.role,
      name: sender.name,
      ...(sender.scope ? { scope: Object.freeze({ ...sender.scope }) } : {}),
    })
    identities.set(sender, who)
  }
  return who
}

/**
 * Prepares the access check for `sender`, who has joined the room of live `doc` (see
 * `AccessPolicy.warm`); a failure is only logged (the first check builds it again and decides).
 */
export function warmAdmission(deps: AdmissionDeps, room: string, doc: Y.Doc, sender: Sender): void {
  if (!deps.policy) return
  try {
    deps.policy.warm(doc, identityOf(sender))
  } catch (err) {
    deps.log.debug({ room, peer: sender.id, err }, 'access warm-up failed')
  }
}

export type Admission =
  /** `attest`: what attestation will record once the update is applied (null: attestation off). */
  | { ok: true; attest: Extract<AttestVerdict, { ok: true }> | null }
  | { ok: false; result: Accepted }

/**
 * Decides whether `incoming` from `sender` may be applied to `doc` (the live doc of room `room`).
 * A refusal by the rules is counted in `/metrics` by reason and answered to the sender with a
 * `refused` message; one by attestation is logged.
 */
export function admit(
  deps: AdmissionDeps,
  room: string,
  doc: Y.Doc,
  incoming: Incoming,
  sender: Sender,
): Admission {
  const { parsed, mode } = incoming
  // access (issue 16): the rules decide before anything is applied; a refusal leaves no trace.
  if (deps.policy) {
    let verdict: PolicyVerdict
    try {
      verdict = deps.policy.check(doc, parsed, identityOf(sender))
    } catch {
      return { ok: false, result: 'invalid' }
    }
    if (!verdict.ok) {
      for (const r of verdict.refused) bump(deps.metrics.rejected, `access-${r.reason}`)
      deps.log.info(
        { room, peer: sender.id, refused: verdict.refused.length },
        'update refused by access rules',
      )
      sender.send(refusedMessage(verdict.refused))
      return { ok: false, result: 'access-refused' }
    }
  }
  const attester = deps.attester
  if (!attester) return { ok: true, attest: null }
  // Checked before anything is applied: a refused update leaves no trace (issue 13 §4).
  let verdict: AttestVerdict
  try {
    verdict = attester.check(
      room,
      doc,
      parsed,
      { user: sender.user, name: sender.name },
      mode,
      sender.clientIds,
    )
  } catch {
    return { ok: false, result: 'invalid' }
  }
  if (!verdict.ok) {
    deps.log.warn(
      { room, peer: sender.id, user: sender.user, reason: verdict.reason },
      'update refused by attestation',
    )
    return {
      ok: false,
      result: verdict.reason === 'binding-write' ? 'attest-binding-write' : 'attest-client-bound',
    }
  }
  return { ok: true, attest: verdict }
}
