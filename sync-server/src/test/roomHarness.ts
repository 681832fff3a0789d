import { ACK_TYPE, MESSAGE_TYPE, readDurableMessage } from '@taizhang/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { Role } from '../auth/tokens.js'
import { LIMITS, type Limits } from '../limits.js'
import { createMetrics, type Metrics } from '../metrics.js'
import type { Peer } from '../Peer.js'
import type { Clock, Timer } from '../room/clock.js'
import { LiveDocs } from '../room/LiveDocs.js'
import type { RoomDeps, RoomOutbound } from '../room/Room.js'
import { Rooms } from '../room/Rooms.js'
import type { DocStore } from '../storage/DocStore.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import type { WireMessage } from '../wsFrame.js'
import { silent } from './helpers.js'

/**
 * A clock the test moves by hand: `advance` runs every timer that falls due, in order (timers a
 * callback sets inside the window run too). Storage promises still settle on the real event loop,
 * so `advance` yields between timers.
 */
export class ManualClock implements Clock {
  private t = 1_000_000
  private seq = 0
  private readonly timers = new Map<number, { at: number; fn: () => void }>()

  now(): number {
    return this.t
  }

  after(ms: number, fn: () => void): Timer {
    const id = this.seq++
    this.timers.set(id, { at: this.t + ms, fn })
    return { cancel: () => this.timers.delete(id) }
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.size
  }

  async advance(ms: number): Promise<void> {
    const until = this.t + ms
    for (;;) {
      await settle()
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const e of this.timers) if (e[1].at <= until && (!next || e[1].at < next[1].at)) next = e
      if (!next) break
      this.timers.delete(next[0])
      this.t = Math.max(this.t, next[1].at)
      next[1].fn()
    }
    this.t = until
    await settle()
  }
}

/** Lets pending promise callbacks (and the memory store's queue) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
}

/** A Peer that records what the room sends it (decoded back to protocol messages). */
export class FakePeer implements Peer {
  private static next = 1
  readonly id = FakePeer.next++
  readonly clientIds = new Set<number>()
  readonly received: Uint8Array[] = []
  constructor(
    readonly role: Role = 'editor',
    readonly wantsAck = false,
    readonly name = `peer${this.id}`,
  ) {}
  /** attestation: the user id (the name stands in, as for tokens without one) */
  get user(): string {
    return this.name
  }
  send(message: Uint8Array): void {
    this.received.push(message)
  }
  sendParts(parts: Uint8Array[]): void {
    const e = encoding.createEncoder()
    for (const p of parts) encoding.writeUint8Array(e, p)
    this.received.push(encoding.toUint8Array(e))
  }
  sendWire(message: WireMessage): void {
    this.received.push(message.payload)
  }
  /** Doc updates received (sync step 2 and update messages), in order. */
  updates(): Uint8Array[] {
    const out: Uint8Array[] = []
    for (const m of this.received) {
      const d = decoding.createDecoder(m)
      if (decoding.readVarUint(d) !== MESSAGE_TYPE.sync) continue
      const step = decoding.readVarUint(d)
      if (step === 1 || step === 2) out.push(decoding.readVarUint8Array(d))
    }
    return out
  }
  /** The durable state vectors acknowledged to this peer, in order. */
  acks(): Array<Map<number, number>> {
    return this.received.filter((m) => m[0] === ACK_TYPE).map((m) => readDurableMessage(m))
  }
  /** The types of the messages received, in order. */
  types(): number[] {
    return this.received.map((m) => decoding.readVarUint(decoding.createDecoder(m)))
  }
  /** A doc holding everything this peer received. */
  doc(): Y.Doc {
    const doc = new Y.Doc()
    for (const u of this.updates()) Y.applyUpdate(doc, u)
    return doc
  }
}

/** A registry over a memory store (or `store`), a manual clock and a recording relay. */
export function createRoomHarness(opts: { store?: DocStore; limits?: Partial<Limits> } = {}) {
  const clock = new ManualClock()
  const store = opts.store ?? createMemoryDocStore()
  const limits: Limits = { ...LIMITS, ...opts.limits }
  const metrics: Metrics = createMetrics()
  const published: Array<{ room: string; out: RoomOutbound }> = []
  const deps: RoomDeps = {
    store,
    log: silent,
    metrics,
    limits,
    liveDocs: new LiveDocs(limits.MAX_LIVE_DOCS, limits.LIVE_DOC_MIN_IDLE_MS, clock),
    clock,
    relay: { publish: (room, out) => published.push({ room, out }) },
  }
  const rooms = new Rooms(deps)
  return { clock, store, limits, metrics, rooms, published, deps }
}

/** An update that sets `key` to `value` in map `m`, by a doc with client id `client`. */
export function editUpdate(client: number, key: string, value: unknown, base?: Y.Doc): Uint8Array {
  const doc = base ?? new Y.Doc()
  doc.clientID = client
  const sv = Y.encodeStateVector(doc)
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc, sv)
}
