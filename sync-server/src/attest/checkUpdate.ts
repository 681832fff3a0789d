import {
  attestBindingKey,
  type Binding,
  type ParsedUpdate,
  parsedUpdate,
  ROOT_ATTEST,
} from '@taizhang/shared'
import * as Y from 'yjs'

/** Who a connection is, as its token says. */
export interface AttestIdentity {
  user: string
  name: string
}

/**
 * `live`: a sync `update` message (the connection's own edits as it makes them). `handshake`: a
 * sync step 2 (everything the client holds that the server lacks — possibly edits of others it
 * received earlier, e.g. after the server was restored from a backup).
 */
export type AttestMode = 'live' | 'handshake'

/** What accepting an update will record. */
export interface AttestPlan {
  /** Client ids to bind to the connection's identity. */
  bind: number[]
  /** Per client: the first clock this update brings and who delivered it if not its author. */
  receipts: Array<{ client: number; clock: number; via?: string }>
  /** Signed server registrations arriving in a re-upload (restored server), to trust. */
  servers: number[]
}

export type AttestVerdict =
  | { ok: true; plan: AttestPlan }
  | { ok: false; reason: 'client-bound-elsewhere' | 'binding-write' }

/** Verifies a server registration's signature (`ServerBinding.sig`) for a client id. */
export type VerifyServerSig = (client: number, sig: string) => boolean

/**
 * Decides whether `update` from a connection of `who` may be applied to `doc`, before anything is
 * applied (refused: nothing is stored). Rules (docs/ARCHITECTURE.md, "Attestation"):
 * - a struct that writes into the `attest` map (parent, or origin/right origin a server item), or a
 *   deletion of a server item, is a binding write: refused, except in a handshake from a server
 *   client id that is registered with a valid signature (a restored server getting its own
 *   records back);
 * - a live update bringing new edits of a client id bound to another user is refused; in a
 *   handshake it is accepted and recorded as delivered `via` this user (never strands a client
 *   re-uploading what others wrote);
 * - an unbound client id is bound to `who` when used in a live update or when it is the
 *   connection's own awareness id; otherwise (a relayed handshake) it only gets a receipt.
 */
export function checkUpdate(
  doc: Y.Doc,
  update: Uint8Array | ParsedUpdate,
  who: AttestIdentity,
  mode: AttestMode,
  ownClientIds: ReadonlySet<number>,
  verifySig: VerifyServerSig,
): AttestVerdict {
  // The room hands its parsed update down: decoded once for the room, the policy and this check.
  const { structs, ds } = parsedUpdate(update).decoded
  const attest = doc.getMap<unknown>(ROOT_ATTEST)
  const bindingOf = (client: number) => attest.get(attestBindingKey(client)) as Binding | undefined
  // Server registrations carried by this update (a re-upload after a restore).
  const carried = new Set<number>()
  // A decoded struct names a root parent by its key (a string), though Yjs types it as a type.
  const parentKey = (s: Y.Item): unknown => s.parent as unknown
  if (mode === 'handshake') {
    for (const s of structs) {
      if (!(s instanceof Y.Item) || parentKey(s) !== ROOT_ATTEST) continue
      if (s.parentSub !== attestBindingKey(s.id.client)) continue
      const v = (s.content as Y.ContentAny).arr?.[0] as Binding | undefined
      if (v?.kind === 'server' && verifySig(s.id.client, v.sig)) carried.add(s.id.client)
    }
  }
  const isServer = (client: number) => {
    if (carried.has(client)) return true
    const b = bindingOf(client)
    return b?.kind === 'server' && verifySig(client, b.sig)
  }
  const firstNew = new Map<number, number>()
  for (const s of structs) {
    if (s instanceof Y.Skip) continue
    const client = s.id.client
    const known = Y.getState(doc.store, client)
    if (s.id.clock + s.length <= known) continue
    const writesAttest =
      s instanceof Y.Item &&
      (parentKey(s) === ROOT_ATTEST ||
        (s.parent instanceof Y.ID && isServer(s.parent.client)) ||
        (s.origin !== null && isServer(s.origin.client)) ||
        (s.rightOrigin !== null && isServer(s.rightOrigin.client)))
    if (isServer(client)) {
      // Server ids write nothing but attestation, and only a restored server's re-upload may carry them.
      if (mode !== 'handshake' || (s instanceof Y.Item && !writesAttest)) {
        return { ok: false, reason: 'binding-write' }
      }
      continue
    }
    if (writesAttest) return { ok: false, reason: 'binding-write' }
    const from = Math.max(s.id.clock, known)
    const prev = firstNew.get(client)
    if (prev === undefined || from < prev) firstNew.set(client, from)
  }
  for (const client of ds.clients.keys()) {
    if (isServer(client) && mode !== 'handshake') return { ok: false, reason: 'binding-write' }
  }
  const plan: AttestPlan = { bind: [], receipts: [], servers: [...carried] }
  for (const [client, clock] of firstNew) {
    const b = bindingOf(client)
    if (b === undefined) {
      if (mode === 'live' || ownClientIds.has(client)) {
        plan.bind.push(client)
        plan.receipts.push({ client, clock })
      } else plan.receipts.push({ client, clock, via: who.user })
    } else if (b.kind === 'user' && b.user === who.user) {
      plan.receipts.push({ client, clock })
    } else if (mode === 'live') {
      return { ok: false, reason: 'client-bound-elsewhere' }
    } else plan.receipts.push({ client, clock, via: who.user })
  }
  return { ok: true, plan }
}
