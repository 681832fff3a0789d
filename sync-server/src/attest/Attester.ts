import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  attestBindingKey,
  attestReceiptKey,
  type Binding,
  type ParsedUpdate,
  ROOT_ATTEST,
  type ServerBinding,
} from '@taizhang/shared'
import * as Y from 'yjs'
import {
  type AttestIdentity,
  type AttestMode,
  type AttestVerdict,
  checkUpdate,
} from './checkUpdate.js'

/** Receipts of one client closer than this to its previous one are not written again. */
export const RECEIPT_COALESCE_MS = 1_000

/** Origin of the server's own attestation writes (never attested themselves). */
export const ATTEST_ORIGIN = Symbol('attest')

/**
 * The server side of attestation for every room of a process: checks client updates
 * (`checkUpdate`) and writes the bindings and receive times into the doc's `attest` map with a
 * client id of its own, registered there with an HMAC under the server secret.
 */
export class Attester {
  /** Per live doc: the last receipt written per client (time, via), for coalescing. */
  private readonly last = new WeakMap<Y.Doc, Map<number, { at: number; via?: string }>>()

  constructor(
    private readonly secret: string,
    private readonly now: () => number,
  ) {}

  private sign(room: string, client: number): string {
    return createHmac('sha256', this.secret).update(`${room}:${client}`).digest('base64url')
  }

  verify(room: string, client: number, sig: string): boolean {
    const want = Buffer.from(this.sign(room, client))
    const got = Buffer.from(sig)
    return want.length === got.length && timingSafeEqual(want, got)
  }

  check(
    room: string,
    doc: Y.Doc,
    update: Uint8Array | ParsedUpdate,
    who: AttestIdentity,
    mode: AttestMode,
    own: ReadonlySet<number>,
  ): AttestVerdict {
    return checkUpdate(doc, update, who, mode, own, (c, sig) => this.verify(room, c, sig))
  }

  /**
   * Writes what `plan` says into `doc` (after the client's update was applied) and returns the
   * update to broadcast and store, or null when there was nothing to write.
   */
  record(
    room: string,
    doc: Y.Doc,
    verdict: Extract<AttestVerdict, { ok: true }>,
    who: AttestIdentity,
  ): Uint8Array | null {
    const { plan } = verdict
    const at = this.now()
    let last = this.last.get(doc)
    if (!last) {
      last = new Map()
      this.last.set(doc, last)
    }
    const receipts = plan.receipts.filter((r) => {
      const prev = last.get(r.client)
      return !prev || at - prev.at >= RECEIPT_COALESCE_MS || prev.via !== r.via
    })
    if (plan.bind.length === 0 && receipts.length === 0) return null
    this.ensureOwnClient(room, doc)
    const attest = doc.getMap<unknown>(ROOT_ATTEST)
    const before = Y.encodeStateVector(doc)
    doc.transact(() => {
      const self = attestBindingKey(doc.clientID)
      if (!attest.has(self)) {
        const reg: ServerBinding = { kind: 'server', at, sig: this.sign(room, doc.clientID) }
        attest.set(self, reg)
      }
      for (const client of plan.bind) {
        const key = attestBindingKey(client)
        if (attest.has(key)) continue
        const b: Binding = { kind: 'user', user: who.user, name: who.name, at }
        attest.set(key, b)
      }
      for (const r of receipts) {
        // A re-upload may carry the receipt an earlier (restored-away) server wrote for this very
        // run: that one witnessed the author, so it stays.
        if (r.via !== undefined && attest.has(attestReceiptKey(r.client, r.clock))) continue
        attest.set(attestReceiptKey(r.client, r.clock), r.via ? { at, via: r.via } : { at })
        last.set(r.client, { at, ...(r.via ? { via: r.via } : {}) })
      }
    }, ATTEST_ORIGIN)
    return Y.encodeStateAsUpdate(doc, before)
  }

  /** The doc's own client id must not be one a user (or another doc) already holds. */
  private ensureOwnClient(room: string, doc: Y.Doc): void {
    const attest = doc.getMap<unknown>(ROOT_ATTEST)
    const mine = attest.get(attestBindingKey(doc.clientID)) as Binding | undefined
    const used = Y.getState(doc.store, doc.clientID) > 0
    if (mine?.kind === 'server' && this.verify(room, doc.clientID, mine.sig)) return
    if (!mine && !used) return
    // Someone else's id (a collision): take a fresh one; this doc has written nothing with it.
    do {
      doc.clientID = Math.floor(Math.random() * 0xffffffff) >>> 0
    } while (attest.has(attestBindingKey(doc.clientID)) || Y.getState(doc.store, doc.clientID) > 0)
  }
}
