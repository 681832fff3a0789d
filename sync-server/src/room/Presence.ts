import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Limits } from '../limits.js'
import type { Peer } from '../Peer.js'
import { awarenessMessage } from './yjsUpdates.js'

/** What became of a peer's awareness update (entries dropped, by reason). */
export interface PresenceVerdict {
  spoofed: number
  tooLarge: number
}

const textEncoder = new TextEncoder()

/**
 * A room's presence: everyone's awareness states and which peer owns which client id. The server
 * has no presence of its own. Every change (a peer's, a removal on leave, a remote one) goes out
 * through `onChange` as one encoded awareness update.
 */
export class Presence {
  private readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  /** Awareness client id → the peer owning it (null: owned by a peer on another server). */
  private readonly owners = new Map<number, Peer | null>()

  constructor(onChange: (update: Uint8Array, origin: unknown) => void) {
    this.awareness.setLocalState(null)
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>,
        origin: unknown,
      ) => {
        const changed = added.concat(updated, removed)
        if (changed.length === 0) return
        // A remotely owned state that went away (its server said so, or it timed out because that
        // server died) frees its client id.
        for (const id of removed) if (this.owners.get(id) === null) this.owners.delete(id)
        onChange(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed), origin)
      },
    )
  }

  /** Everyone's presence in one awareness message, or undefined while there is none. */
  message(): Uint8Array | undefined {
    const states = this.awareness.getStates()
    if (states.size === 0) return undefined
    return awarenessMessage(
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]),
    )
  }

  /**
   * Applies the entries of `peer`'s awareness update that it may set: echoes (not newer than the
   * room's) are skipped; then only its own client ids (claimed first-come, at most
   * MAX_CLIENT_IDS_PER_CONNECTION, never one another live peer owns) with states of at most
   * MAX_AWARENESS_STATE_BYTES. The rest is dropped and counted. Throws on a malformed update
   * (nothing applied).
   */
  applyFrom(peer: Peer, update: Uint8Array, limits: Limits): PresenceVerdict {
    const d = decoding.createDecoder(update)
    const n = decoding.readVarUint(d)
    const kept: Array<{ id: number; clock: number; state: string }> = []
    const verdict: PresenceVerdict = { spoofed: 0, tooLarge: 0 }
    for (let i = 0; i < n; i++) {
      const id = decoding.readVarUint(d)
      const clock = decoding.readVarUint(d)
      const state = decoding.readVarString(d)
      // y-websocket clients relay every awareness change they receive, so entries that are not
      // newer than what the room holds are echoes: ignore them quietly.
      const known = this.awareness.meta.get(id)
      if (known && clock <= known.clock) continue
      const owner = this.owners.get(id)
      if (owner === undefined && state === 'null') continue // removing an unowned state
      if (owner !== undefined && owner !== peer) {
        verdict.spoofed++
        continue
      }
      if (owner === undefined && peer.clientIds.size >= limits.MAX_CLIENT_IDS_PER_CONNECTION) {
        verdict.spoofed++
        continue
      }
      if (textEncoder.encode(state).length > limits.MAX_AWARENESS_STATE_BYTES) {
        verdict.tooLarge++
        continue
      }
      // Reject non-JSON now, so applyAwarenessUpdate cannot throw halfway through.
      JSON.parse(state)
      kept.push({ id, clock, state })
    }
    if (decoding.hasContent(d)) throw new Error('trailing bytes after the awareness update')
    for (const { id } of kept) {
      if (!this.owners.has(id)) {
        this.owners.set(id, peer)
        peer.clientIds.add(id)
      }
    }
    if (kept.length > 0) {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, kept.length)
      for (const k of kept) {
        encoding.writeVarUint(e, k.id)
        encoding.writeVarUint(e, k.clock)
        encoding.writeVarString(e, k.state)
      }
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(e), peer)
    }
    return verdict
  }

  /**
   * Applies an awareness update relayed from another server (already filtered there). Its client
   * ids are owned remotely: no local peer may claim them while they are present.
   */
  applyRemote(update: Uint8Array, origin: unknown): void {
    const d = decoding.createDecoder(update)
    const n = decoding.readVarUint(d)
    for (let i = 0; i < n; i++) {
      const id = decoding.readVarUint(d)
      decoding.readVarUint(d)
      const state = decoding.readVarString(d)
      if (state === 'null') {
        if (this.owners.get(id) === null) this.owners.delete(id)
      } else if (!this.owners.has(id)) this.owners.set(id, null)
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin)
  }

  /** Removes the presence `peer` owned (it left). */
  leave(peer: Peer): void {
    const ids = [...peer.clientIds].filter((id) => this.owners.get(id) === peer)
    for (const id of ids) this.owners.delete(id)
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null)
  }

  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }
}
