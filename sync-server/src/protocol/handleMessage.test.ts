import { CLOSE, MESSAGE_TYPE, SYNC_STEP } from '@taizhang/shared'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createRoomHarness, editUpdate, FakePeer } from '../test/roomHarness.js'
import { handleMessage, joinMessages } from './handleMessage.js'

function frame(type: number, write: (e: encoding.Encoder) => void = () => {}): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}
const syncFrame = (step: number, payload: Uint8Array) =>
  frame(MESSAGE_TYPE.sync, (e) => {
    encoding.writeVarUint(e, step)
    encoding.writeVarUint8Array(e, payload)
  })

async function setup() {
  const h = createRoomHarness()
  const room = await h.rooms.get('wb')
  const editor = new FakePeer('editor')
  const viewer = new FakePeer('viewer')
  h.rooms.join(room, editor)
  h.rooms.join(room, viewer)
  return { h, room, editor, viewer }
}

describe('handleMessage (the handler table, without sockets)', () => {
  it('an empty or truncated frame closes with bad-frame', async () => {
    const { room, editor } = await setup()
    expect(handleMessage(room, editor, new Uint8Array([]))).toEqual({
      kind: 'close',
      close: CLOSE.badFrame,
      rejected: 'bad-frame',
    })
    expect(
      handleMessage(room, editor, new Uint8Array([MESSAGE_TYPE.sync, 2, 50, 1])),
    ).toMatchObject({ kind: 'close', close: CLOSE.badFrame })
  })

  it('an unknown message type closes; a client auth message is dropped and counted', async () => {
    const { room, editor } = await setup()
    expect(handleMessage(room, editor, frame(99))).toMatchObject({
      kind: 'close',
      close: CLOSE.unknownMessageType,
    })
    expect(
      handleMessage(
        room,
        editor,
        frame(MESSAGE_TYPE.auth, (e) => encoding.writeVarUint(e, 0)),
      ),
    ).toEqual({
      kind: 'dropped',
      rejected: 'client-auth-message',
    })
  })

  it('sync step 1 is answered with a sync step 2 holding what the client lacks', async () => {
    const { room, editor, viewer } = await setup()
    expect(await room.acceptUpdate(editUpdate(5, 'a', 'x'), editor)).toBe('ok')
    await room.flush()
    expect(handleMessage(room, viewer, syncFrame(SYNC_STEP.step1, new Uint8Array([0])))).toEqual({
      kind: 'ok',
    })
    expect(viewer.doc().getMap('m').get('a')).toBe('x')
  })

  it('an editor update is applied and reaches the other peers; garbage closes with invalid-update', async () => {
    const { room, editor, viewer } = await setup()
    expect(handleMessage(room, editor, syncFrame(SYNC_STEP.update, editUpdate(6, 'b', 2)))).toEqual(
      { kind: 'ok' },
    )
    await room.flush()
    expect(viewer.doc().getMap('m').get('b')).toBe(2)
    const bad = await handleMessage(
      room,
      editor,
      syncFrame(SYNC_STEP.update, new Uint8Array([9, 9, 9])),
    )
    expect(bad).toMatchObject({
      kind: 'close',
      close: CLOSE.invalidUpdate,
      rejected: 'invalid-update',
    })
  })

  it('a viewer’s change is refused with permission-denied; its no-op handshake is fine', async () => {
    const { h, room, editor, viewer } = await setup()
    expect(await room.acceptUpdate(editUpdate(6, 'b', 2), editor)).toBe('ok')
    await room.flush()
    const denied = await handleMessage(
      room,
      viewer,
      syncFrame(SYNC_STEP.update, editUpdate(8, 'c', 3)),
    )
    expect(denied).toEqual({ kind: 'dropped', rejected: 'viewer' })
    expect(viewer.types().at(-1)).toBe(MESSAGE_TYPE.auth)
    expect(Y.decodeStateVector(room.stateVector()).has(8)).toBe(false)
    // Its sync step 2 with only what the room has: the normal handshake.
    const same = Y.encodeStateAsUpdate(editor.doc()) // empty doc: nothing new
    expect(await handleMessage(room, viewer, syncFrame(SYNC_STEP.step2, same))).toEqual({
      kind: 'ok',
    })
    expect((await h.store.load('wb')).length).toBe(1)
  })

  it('awareness: own states are kept, someone else’s client id is dropped as a spoof, trailing bytes close', async () => {
    const { room, editor, viewer } = await setup()
    const aw = new awarenessProtocol.Awareness(new Y.Doc())
    aw.setLocalState({ name: 'E' })
    const upd = () => awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])
    expect(
      handleMessage(
        room,
        editor,
        frame(MESSAGE_TYPE.awareness, (e) => encoding.writeVarUint8Array(e, upd())),
      ),
    ).toEqual({ kind: 'ok' })
    aw.setLocalState({ name: 'spoof' })
    expect(
      handleMessage(
        room,
        viewer,
        frame(MESSAGE_TYPE.awareness, (e) => encoding.writeVarUint8Array(e, upd())),
      ),
    ).toEqual({ kind: 'dropped', rejected: 'awareness-spoof' })
    const trailing = frame(MESSAGE_TYPE.awareness, (e) => {
      encoding.writeVarUint8Array(e, upd())
      encoding.writeVarUint(e, 1)
    })
    expect(handleMessage(room, editor, trailing)).toMatchObject({
      kind: 'close',
      close: CLOSE.badFrame,
    })
    // queryAwareness answers with everyone's presence.
    const before = viewer.received.length
    expect(handleMessage(room, viewer, frame(MESSAGE_TYPE.queryAwareness))).toEqual({ kind: 'ok' })
    expect(viewer.types().slice(before)).toEqual([MESSAGE_TYPE.awareness])
    expect(joinMessages(room).length).toBe(2)
  })
})
