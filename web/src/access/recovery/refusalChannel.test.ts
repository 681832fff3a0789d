import { MESSAGE_TYPE } from '@taizhang/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { makeRefusalChannel, readRefusalNotice } from './refusalChannel'

/** A `refused` message body as the server writes it after the message type. */
function body(text: string): decoding.Decoder {
  const enc = encoding.createEncoder()
  encoding.writeVarString(enc, text)
  return decoding.createDecoder(encoding.toUint8Array(enc))
}

describe('access recovery: the refusal channel of a session', () => {
  it('reads the count and the refused list; a garbled body still means one refusal', () => {
    expect(readRefusalNotice(body(JSON.stringify({ count: 2, refused: [{ a: 1 }] })))).toEqual({
      count: 2,
      refused: [{ a: 1 }],
    })
    expect(readRefusalNotice(body('{not json'))).toEqual({ count: 1, refused: [] })
    expect(readRefusalNotice(body(JSON.stringify({ count: 'x' })))).toEqual({
      count: 1,
      refused: [],
    })
  })

  it('a 101 message on the provider sets the refusal and stops the socket', async () => {
    const doc = new Y.Doc()
    // Never connected: the handler table is what is tested, not a socket (Node 20 has no global
    // WebSocket, and y-websocket reads its default only to open one).
    const p = new WebsocketProvider('ws://127.0.0.1:9', 'wb1', doc, {
      connect: false,
      disableBc: true,
      WebSocketPolyfill: null as unknown as typeof WebSocket,
    })
    let disconnects = 0
    const disconnect = p.disconnect.bind(p)
    p.disconnect = () => {
      disconnects++
      disconnect()
    }
    const channel = makeRefusalChannel()
    channel.install(p)
    expect(channel.refusal()).toBeNull()
    const handler = p.messageHandlers[MESSAGE_TYPE.refused]
    expect(handler).toBeDefined()
    handler!(encoding.createEncoder(), body(JSON.stringify({ count: 3, refused: [] })), p, true, 0)
    expect(channel.refusal()).toEqual({ count: 3, refused: [] })
    await Promise.resolve()
    expect(disconnects).toBe(1)
    p.destroy()
    doc.destroy()
  })
})
