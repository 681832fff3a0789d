import type * as Y from 'yjs'

/**
 * Attestation (issue 13 §4): which user the server vouches for behind each Yjs client id, and when
 * the server first received each edit. Written only by the sync server, in one root map of the
 * doc; every replica can read it, and the server refuses any client update that writes to it (see
 * docs/ARCHITECTURE.md, "Attestation").
 */
export const ROOT_ATTEST = 'attest'

/** Key of a client id's binding: `c<clientId>`. */
export const attestBindingKey = (client: number): string => `c${client}`
/** Key of a receive-time mark: `r<clientId>.<first clock of the received run>`. */
export const attestReceiptKey = (client: number, clock: number): string => `r${client}.${clock}`

/** A client id bound to the identity of the connection that first used it in this workbook. */
export interface UserBinding {
  kind: 'user'
  /** Stable user id from the token (`taizhang token --user`). */
  user: string
  /** Display name from the token, not the one the client chose. */
  name: string
  /** Server time of the binding, Unix ms. */
  at: number
}
/** A client id the server itself writes attestation records with (signed with the server secret). */
export interface ServerBinding {
  kind: 'server'
  at: number
  /** HMAC of `<workbook>:<clientId>` under the server secret: lets a restored server recognise it. */
  sig: string
}
export type Binding = UserBinding | ServerBinding

/**
 * The server's receive time for the edits of `client` from clock `clock` on (until the next
 * receipt of that client). `via`: the user whose connection delivered edits of a client id bound
 * to someone else (a re-upload after a server restore, see ARCHITECTURE.md); absent when the
 * author's own connection delivered them.
 */
export interface Receipt {
  at: number
  via?: string
}

/** What the UI shows as an edit's author and times. */
export type AttestedAuthor =
  /** The author's own connection delivered the edit: the name is the token's. */
  | { status: 'attested'; user: string; name: string; receivedAt: number }
  /**
   * Another user's connection delivered it (a re-upload after a server restore, or a forgery):
   * the server vouches only for who delivered it, never for the author the client id claims.
   */
  | { status: 'relayed'; via: string; receivedAt: number }
  /** Not received by the server yet (待服务器确认), or from before attestation existed. */
  | { status: 'pending' }

function isBinding(v: unknown): v is Binding {
  if (typeof v !== 'object' || v === null) return false
  const b = v as Record<string, unknown>
  if (b.kind === 'user') return typeof b.user === 'string' && typeof b.name === 'string'
  return b.kind === 'server' && typeof b.sig === 'string'
}

/**
 * A read-only index over a doc's attestation map, built once (O(records)) and answering
 * `authorOf(client, clock)` in O(log receipts of that client).
 */
export interface AttestIndex {
  binding(client: number): Binding | undefined
  authorOf(client: number, clock: number): AttestedAuthor
}

/** Builds the index from the doc's `attest` map. */
export function readAttestation(doc: Y.Doc): AttestIndex {
  const map = doc.getMap<unknown>(ROOT_ATTEST)
  const bindings = new Map<number, Binding>()
  const receipts = new Map<number, Array<{ clock: number } & Receipt>>()
  for (const [key, value] of map.entries()) {
    if (key.startsWith('c')) {
      const client = Number(key.slice(1))
      if (Number.isSafeInteger(client) && isBinding(value)) bindings.set(client, value)
    } else if (key.startsWith('r')) {
      const dot = key.indexOf('.')
      const client = Number(key.slice(1, dot))
      const clock = Number(key.slice(dot + 1))
      const r = value as Receipt
      if (dot < 0 || !Number.isSafeInteger(client) || !Number.isSafeInteger(clock)) continue
      if (typeof r !== 'object' || r === null || typeof r.at !== 'number') continue
      let list = receipts.get(client)
      if (!list) {
        list = []
        receipts.set(client, list)
      }
      list.push({ clock, at: r.at, ...(typeof r.via === 'string' ? { via: r.via } : {}) })
    }
  }
  for (const list of receipts.values()) list.sort((a, b) => a.clock - b.clock)
  return {
    binding: (client) => bindings.get(client),
    authorOf(client, clock) {
      const b = bindings.get(client)
      const list = receipts.get(client)
      if (!list) return { status: 'pending' }
      // The last receipt starting at or before `clock` (binary search).
      let lo = 0
      let hi = list.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (list[mid]!.clock <= clock) lo = mid + 1
        else hi = mid
      }
      const r = list[lo - 1]
      if (!r) return { status: 'pending' }
      if (r.via !== undefined) return { status: 'relayed', via: r.via, receivedAt: r.at }
      if (b?.kind !== 'user') return { status: 'pending' }
      return { status: 'attested', user: b.user, name: b.name, receivedAt: r.at }
    },
  }
}
