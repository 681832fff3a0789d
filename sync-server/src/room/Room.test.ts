import { MESSAGE_TYPE } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { DocStore } from '../storage/DocStore.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { createRoomHarness, editUpdate, FakePeer, settle } from '../test/roomHarness.js'

/** The room without sockets: a fake Peer, the memory store and a clock moved by hand. */
describe('Room (harness: fake peers, manual clock)', () => {
  it('applies an editor update, broadcasts it to the others, stores it and acknowledges it durable', async () => {
    const h = createRoomHarness()
    const room = await h.rooms.get('wb')
    const author = new FakePeer('editor', true)
    const other = new FakePeer('viewer', false)
    h.rooms.join(room, author)
    h.rooms.join(room, other)
    const update = editUpdate(7, 'a', 1)
    expect(room.acceptUpdate(update, author)).toBe('ok')
    expect(room.isLive).toBe(true)
    await room.flush()
    expect(await h.store.load('wb')).toEqual([update])
    expect(other.doc().getMap('m').get('a')).toBe(1)
    expect(author.updates()).toEqual([]) // it wrote the whole batch: nothing echoed
    expect(author.acks().at(-1)?.get(7)).toBe(1)
    expect(Y.decodeStateVector(room.durableSv).get(7)).toBe(1)
    expect(h.published).toEqual([{ room: 'wb', out: { type: 'update', update } }])
  })

  it('broadcasts an update at once, before it is durable; acknowledges it only once stored', async () => {
    const inner = createMemoryDocStore()
    let release: () => void = () => {}
    const stalled = new Promise<void>((r) => {
      release = r
    })
    const store: DocStore = {
      ...inner,
      append: async (room, u) => {
        await stalled
        await inner.append(room, u)
      },
    }
    const h = createRoomHarness({ store })
    const room = await h.rooms.get('wb')
    const author = new FakePeer('editor', true)
    const other = new FakePeer('editor', true)
    h.rooms.join(room, author)
    h.rooms.join(room, other)
    expect(room.acceptUpdate(editUpdate(21, 'early', true), author)).toBe('ok')
    // Sent while the write is still in flight: the receiver has it, nobody has an ack for it.
    expect(other.doc().getMap('m').get('early')).toBe(true)
    await settle()
    expect(author.acks().some((sv) => sv.get(21) === 1)).toBe(false)
    expect(Y.decodeStateVector(room.durableSv).has(21)).toBe(false)
    release()
    await room.flush()
    expect(author.acks().at(-1)?.get(21)).toBe(1)
    expect(other.acks().at(-1)?.get(21)).toBe(1)
    // The broadcast came before the ack on the receiver's socket.
    const types = other.types()
    expect(types.indexOf(MESSAGE_TYPE.sync)).toBeLessThan(types.lastIndexOf(MESSAGE_TYPE.durable))
  })

  it('a cold room checks a no-op update against storage without reviving its doc', async () => {
    const store = createMemoryDocStore()
    const update = editUpdate(3, 'k', 'v')
    await store.append('wb', update)
    const h = createRoomHarness({ store })
    const room = await h.rooms.get('wb')
    expect(room.isLive).toBe(false)
    expect(await room.acceptUpdate(update, new FakePeer())).toBe('ok')
    expect(room.isLive).toBe(false)
    expect(h.metrics.docRevivals).toBe(0)
    expect((await store.load('wb')).length).toBe(1)
    // Something new revives it and is stored.
    expect(await room.acceptUpdate(editUpdate(4, 'k2', 'v2'), new FakePeer())).toBe('ok')
    expect(room.isLive).toBe(true)
    expect(h.metrics.docRevivals).toBe(1)
    await room.flush()
    expect((await store.load('wb')).length).toBe(2)
  })

  it('drops the live doc DOC_IDLE_MS after the last write, compacting storage into one record', async () => {
    const h = createRoomHarness({ limits: { DOC_IDLE_MS: 10_000 } })
    const room = await h.rooms.get('wb')
    expect(await room.acceptUpdate(editUpdate(1, 'a', 1), new FakePeer())).toBe('ok')
    expect(await room.acceptUpdate(editUpdate(2, 'b', 2), new FakePeer())).toBe('ok')
    await room.flush()
    await h.clock.advance(9_000)
    expect(room.isLive).toBe(true)
    await h.clock.advance(1_001)
    expect(room.isLive).toBe(false)
    expect(h.metrics.docDrops).toBe(1)
    await settle()
    const stored = await h.store.load('wb')
    expect(stored.length).toBe(1)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, stored[0]!)
    expect(doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
    // A fresh client is answered from storage while cold.
    const answer = await room.syncStep2(new Uint8Array([0]))
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, answer)
    expect(fresh.getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
  })

  it('retries a failed append on the clock and acknowledges only once it is stored', async () => {
    const inner = createMemoryDocStore()
    let failures = 2
    const store: DocStore = {
      ...inner,
      append: (room, u) =>
        failures-- > 0 ? Promise.reject(new Error('disk full')) : inner.append(room, u),
    }
    const h = createRoomHarness({ store, limits: { RETRY_MIN_MS: 50, RETRY_MAX_MS: 5_000 } })
    const room = await h.rooms.get('wb')
    const peer = new FakePeer('editor', true)
    h.rooms.join(room, peer)
    expect(await room.acceptUpdate(editUpdate(9, 'x', 1), peer)).toBe('ok')
    await settle()
    expect(peer.acks().some((sv) => sv.get(9) === 1)).toBe(false)
    expect(h.metrics.appendFailures).toBe(1)
    await h.clock.advance(50) // second attempt fails, next in 100 ms
    expect(h.metrics.appendFailures).toBe(2)
    expect(peer.acks().some((sv) => sv.get(9) === 1)).toBe(false)
    expect(room.idle).toBe(false)
    await h.clock.advance(100)
    expect(peer.acks().at(-1)?.get(9)).toBe(1)
    expect(room.idle).toBe(true)
    expect((await inner.load('wb')).length).toBe(1)
  })

  it('the registry unloads a room ROOM_IDLE_UNLOAD_MS after its last peer left, not before', async () => {
    const h = createRoomHarness({ limits: { ROOM_IDLE_UNLOAD_MS: 30_000 } })
    const room = await h.rooms.get('wb')
    const a = new FakePeer()
    h.rooms.join(room, a)
    h.rooms.leave(room, a)
    await h.clock.advance(29_000)
    expect(h.rooms.peek('wb')).toBe(room)
    h.rooms.join(room, a) // cancels the unload
    await h.clock.advance(5_000)
    expect(h.rooms.peek('wb')).toBe(room)
    h.rooms.leave(room, a)
    await h.clock.advance(30_000)
    expect(h.rooms.peek('wb')).toBeUndefined()
    expect(h.rooms.size).toBe(0)
  })

  it('receiveRemote: applies and stores another server’s update, sends it to local peers, publishes nothing', async () => {
    const h = createRoomHarness()
    const room = await h.rooms.get('wb')
    const local = new FakePeer()
    h.rooms.join(room, local)
    const update = editUpdate(11, 'r', 'remote')
    expect(await room.receiveRemote({ type: 'update', update })).toBe('ok')
    await room.flush()
    expect(local.doc().getMap('m').get('r')).toBe('remote')
    expect(h.published).toEqual([])
    expect((await h.store.load('wb')).length).toBe(1)
    expect(await room.receiveRemote({ type: 'update', update: new Uint8Array([1, 2, 3]) })).toBe(
      'invalid',
    )
  })

  it('remote presence reaches local peers, is not republished, and its client id is not claimable until removed', async () => {
    const h = createRoomHarness()
    const room = await h.rooms.get('wb')
    const local = new FakePeer()
    h.rooms.join(room, local)
    const theirs = new awarenessProtocol.Awareness(new Y.Doc())
    theirs.setLocalState({ user: 'remote' })
    const remoteUpdate = () => awarenessProtocol.encodeAwarenessUpdate(theirs, [theirs.clientID])
    expect(room.receiveRemote({ type: 'awareness', update: remoteUpdate() })).toBe('ok')
    expect(local.types()).toEqual([MESSAGE_TYPE.awareness])
    expect(h.published).toEqual([])
    // A local peer sending that client id (newer clock) is a spoof.
    theirs.setLocalState({ user: 'local claims it' })
    expect(room.applyPresence(local, remoteUpdate()).spoofed).toBe(1)
    // Removed by its server: the id is free again.
    theirs.setLocalState(null)
    expect(room.receiveRemote({ type: 'awareness', update: remoteUpdate() })).toBe('ok')
    expect(room.awareness.getStates().has(theirs.clientID)).toBe(false)
    theirs.setLocalState({ user: 'now local' })
    expect(room.applyPresence(local, remoteUpdate())).toEqual({ spoofed: 0, tooLarge: 0 })
    expect(local.clientIds.has(theirs.clientID)).toBe(true)
  })

  it('presence: a peer’s state reaches the others and the relay; leaving removes it', async () => {
    const h = createRoomHarness()
    const room = await h.rooms.get('wb')
    const a = new FakePeer()
    const b = new FakePeer()
    h.rooms.join(room, a)
    h.rooms.join(room, b)
    const mine = new awarenessProtocol.Awareness(new Y.Doc())
    mine.setLocalState({ user: 'A' })
    const update = awarenessProtocol.encodeAwarenessUpdate(mine, [mine.clientID])
    expect(room.applyPresence(a, update)).toEqual({ spoofed: 0, tooLarge: 0 })
    expect(b.types()).toContain(MESSAGE_TYPE.awareness)
    expect(room.awareness.getStates().get(mine.clientID)).toEqual({ user: 'A' })
    expect(h.published.map((p) => p.out.type)).toEqual(['awareness'])
    // b may not set a's client id.
    expect(
      room.applyPresence(b, awarenessProtocol.encodeAwarenessUpdate(mine, [mine.clientID])).spoofed,
    ).toBe(0) // an echo: same clock
    mine.setLocalState({ user: 'B?' })
    expect(
      room.applyPresence(b, awarenessProtocol.encodeAwarenessUpdate(mine, [mine.clientID])).spoofed,
    ).toBe(1)
    h.rooms.leave(room, a)
    expect(room.awareness.getStates().has(mine.clientID)).toBe(false)
    expect(h.published.length).toBe(2)
  })
})
