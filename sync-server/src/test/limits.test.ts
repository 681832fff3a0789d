import { CLOSE, MESSAGE_TYPE, seededRandom as prng } from '@taizhang/shared'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LIMITS } from '../limits.js'
import {
  opened,
  ownChangesDurable,
  rawSocket,
  startTestServer,
  synced,
  type TestServer,
  tokenFor,
  useTestScope,
  waitFor,
} from './helpers.js'

const scope = useTestScope()
const { connect } = scope

const url = (s: TestServer, room = 'wb1', role: 'editor' | 'viewer' = 'editor') =>
  `${s.wsBase}/${room}?token=${tokenFor(role)}`

function message(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}
function realUpdateMessage(): Uint8Array {
  const d = new Y.Doc()
  d.getMap('x').set('a', 'some text value')
  d.getArray('y').insert(0, [1, 2, 3])
  const update = Y.encodeStateAsUpdate(d)
  return message(MESSAGE_TYPE.sync, (e) => {
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, update)
  })
}
function awarenessFrame(id: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, id)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify(state))
  return message(MESSAGE_TYPE.awareness, (e) =>
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner)),
  )
}

describe('bad input closes only the sender', () => {
  it('closes each malformed frame with its named code; honest clients and storage carry on', async () => {
    scope.srv = await startTestServer()
    const honest = connect(scope.srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    await synced(honest)
    honest.doc.getMap('m').set('k', 1)
    await waitFor(() => ownChangesDurable(honest), 'durable')
    const stored = () => scope.srv!.store.appendedBytes
    const before = stored()
    const real = realUpdateMessage()
    const cases: Array<[string, Uint8Array | string, number]> = [
      ['empty frame', new Uint8Array(0), CLOSE.badFrame.code],
      ['truncated varint', new Uint8Array([0x80]), CLOSE.badFrame.code],
      ['truncated update', real.subarray(0, real.length - 3), CLOSE.badFrame.code],
      ['trailing bytes', new Uint8Array([...real, 9, 9]), CLOSE.badFrame.code],
      ['unknown type', new Uint8Array([42, 1, 2]), CLOSE.unknownMessageType.code],
      ['client sends ack type', new Uint8Array([100, 0]), CLOSE.unknownMessageType.code],
      ['unknown sync step', new Uint8Array([0, 9, 0]), CLOSE.unknownMessageType.code],
      [
        'garbage update',
        message(0, (e) => {
          encoding.writeVarUint(e, 2)
          encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 1, 2, 3, 4, 5, 6]))
        }),
        CLOSE.invalidUpdate.code,
      ],
      [
        'garbage state vector',
        message(0, (e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint8Array(e, new Uint8Array([3, 0xff]))
        }),
        CLOSE.badFrame.code,
      ],
      [
        'non-JSON awareness',
        message(1, (e) => {
          const inner = encoding.createEncoder()
          encoding.writeVarUint(inner, 1)
          encoding.writeVarUint(inner, 77)
          encoding.writeVarUint(inner, 1)
          encoding.writeVarString(inner, '{not json')
          encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
        }),
        CLOSE.badFrame.code,
      ],
      ['text frame', 'hello', CLOSE.badFrame.code],
    ]
    for (const [what, frame, code] of cases) {
      const s = rawSocket(url(scope.srv))
      await opened(s.ws)
      s.ws.send(frame)
      const closed = await s.closed
      expect({ what, code: closed.code }).toEqual({ what, code })
    }
    expect(stored()).toBe(before)
    honest.doc.getMap('m').set('k2', 2)
    await waitFor(() => ownChangesDurable(honest), 'honest client still durable')
  })

  it('closes a frame over the frame limit with 1009', async () => {
    scope.srv = await startTestServer()
    const s = rawSocket(url(scope.srv))
    await opened(s.ws)
    s.ws.send(new Uint8Array(LIMITS.MAX_FRAME_BYTES + 1))
    expect((await s.closed).code).toBe(1009)
    const r = await fetch(`${scope.srv.http}/healthz`)
    expect(r.status).toBe(200)
  })

  it('survives 10,000 malformed frames while honest clients edit; docs match a control run', async () => {
    const honestRun = async (fuzz: boolean) => {
      const s = await startTestServer()
      scope.srv = s
      // Fixed client ids make the two runs' documents comparable.
      const docA = new Y.Doc()
      docA.clientID = 1001
      const docB = new Y.Doc()
      docB.clientID = 1002
      const a = connect(s.wsBase, 'wb1', tokenFor('editor'), { ack: true, doc: docA })
      const b = connect(s.wsBase, 'wb1', tokenFor('editor'), { ack: true, doc: docB })
      await synced(a)
      await synced(b)
      const rand = prng(20240611)
      let sent = 0
      const statuses: number[] = []
      let fuzzing = fuzz
      const health = (async () => {
        while (fuzzing) {
          statuses.push((await fetch(`${s.http}/healthz`)).status)
          await new Promise((r) => setTimeout(r, 20))
        }
      })()
      const real = realUpdateMessage()
      const frame = (): Uint8Array | string => {
        const kind = Math.floor(rand() * 9)
        const junk = (n: number) => new Uint8Array(n).map(() => Math.floor(rand() * 256))
        switch (kind) {
          case 0:
            return junk(1 + Math.floor(rand() * 64))
          case 1:
            return real.subarray(0, Math.floor(rand() * (real.length - 1)))
          case 2:
            return new Uint8Array([...real, ...junk(1 + Math.floor(rand() * 8))])
          case 3:
            return new Uint8Array([4 + Math.floor(rand() * 90), ...junk(8)])
          case 4:
            return new Uint8Array([0, 2, 200, ...junk(20)])
          case 5:
            return new Uint8Array([1, ...junk(1 + Math.floor(rand() * 30))])
          case 6:
            return new Uint8Array([0, 0, ...junk(10)])
          case 7:
            return 'text frame'
          default:
            return new Uint8Array(0)
        }
      }
      const fuzzer = (async () => {
        while (fuzz && sent < 10_000) {
          const sock = rawSocket(url(s))
          await opened(sock.ws)
          for (let i = 0; i < 25 && sent < 10_000; i++, sent++) sock.ws.send(frame())
          const timeout = new Promise((r) => setTimeout(r, 500))
          await Promise.race([sock.closed, timeout])
          sock.ws.terminate()
        }
      })()
      for (let i = 0; i < 200; i++) {
        a.doc.getMap('cells').set(`a${i}`, `va${i}`)
        b.doc.getMap('cells').set(`b${i}`, i)
        if (i % 3 === 0) a.doc.getArray('log').push([i])
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5))
      }
      await waitFor(
        () => ownChangesDurable(a) && ownChangesDurable(b),
        'honest edits durable',
        60_000,
      )
      await fuzzer
      fuzzing = false
      await health
      await waitFor(
        () => a.doc.getMap('cells').size === 400 && b.doc.getMap('cells').size === 400,
        'honest clients converged',
      )
      const server = new Y.Doc()
      for (const u of await s.store.load('wb1')) Y.applyUpdate(server, u)
      const result = {
        a: a.doc.getMap('cells').toJSON(),
        b: b.doc.getMap('cells').toJSON(),
        log: a.doc.getArray('log').toJSON(),
        stored: server.getMap('cells').toJSON(),
      }
      a.destroy()
      b.destroy()
      const rejected = Object.fromEntries(s.server.metrics.rejected)
      await s.server.close()
      scope.srv = undefined
      return { result, sent, statuses, rejected }
    }
    const control = await honestRun(false)
    const fuzzed = await honestRun(true)
    expect(fuzzed.sent).toBe(10_000)
    expect(fuzzed.statuses.length).toBeGreaterThan(0)
    expect(fuzzed.statuses.every((s) => s === 200)).toBe(true)
    expect(fuzzed.result).toEqual(control.result)
    expect(fuzzed.result.stored).toEqual(fuzzed.result.a)
    expect(fuzzed.rejected['bad-frame']).toBeGreaterThan(100)
  })
})

describe('awareness', () => {
  it('rejects spoofed client ids and states over 4 KB', async () => {
    scope.srv = await startTestServer()
    const a = connect(scope.srv.wsBase, 'wb1', tokenFor('editor'))
    const b = connect(scope.srv.wsBase, 'wb1', tokenFor('viewer'))
    await synced(a)
    await synced(b)
    a.provider.awareness.setLocalState({ user: 'A' })
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: string })?.user === 'A',
      'b sees a',
    )
    const attacker = rawSocket(url(scope.srv, 'wb1', 'viewer'))
    await opened(attacker.ws)
    attacker.ws.send(awarenessFrame(a.doc.clientID, 999, { user: 'evil' }))
    attacker.ws.send(awarenessFrame(a.doc.clientID, 1000, null))
    attacker.ws.send(awarenessFrame(4242, 1, { user: 'x'.repeat(5000) }))
    attacker.ws.send(awarenessFrame(4343, 1, { user: 'attacker-own' }))
    await waitFor(() => b.provider.awareness.getStates().has(4343), 'own state accepted')
    expect((b.provider.awareness.getStates().get(a.doc.clientID) as { user: string }).user).toBe(
      'A',
    )
    expect(b.provider.awareness.getStates().has(4242)).toBe(false)
    expect(scope.srv.server.metrics.rejected.get('awareness-spoof')).toBe(2)
    expect(scope.srv.server.metrics.rejected.get('awareness-too-large')).toBe(1)
    // Leaving removes the attacker's own presence.
    attacker.ws.close()
    await waitFor(() => !b.provider.awareness.getStates().has(4343), 'presence removed on leave')
  })
})

describe('connection limits', () => {
  it('closes a connection over its rate limit', async () => {
    scope.srv = await startTestServer({
      limits: { RATE_MESSAGES_PER_S: 10, RATE_BURST_MESSAGES: 20 },
    })
    const s = rawSocket(url(scope.srv))
    await opened(s.ws)
    for (let i = 0; i < 50; i++) s.ws.send(new Uint8Array([3]))
    expect((await s.closed).code).toBe(CLOSE.rateLimited.code)
  })

  it('caps what a connection may queue while its room loads', async () => {
    scope.srv = await startTestServer({ limits: { MAX_PRELOAD_QUEUE_MESSAGES: 5 } })
    scope.srv.store.loadDelayMs = 300
    const s = rawSocket(url(scope.srv))
    await opened(s.ws)
    for (let i = 0; i < 10; i++) s.ws.send(new Uint8Array([3]))
    expect((await s.closed).code).toBe(CLOSE.queueOverflow.code)
  })

  it('reaps a connection that stops answering pings', async () => {
    scope.srv = await startTestServer({ limits: { PING_INTERVAL_MS: 30 } })
    const s = rawSocket(url(scope.srv), { autoPong: false })
    await opened(s.ws)
    await s.closed
    await waitFor(
      () => scope.srv!.server.metrics.closes.get('dead') === 1,
      'dead connection counted',
    )
  })

  it('closes a slow consumer whose send buffer passes the bound', async () => {
    scope.srv = await startTestServer({ limits: { MAX_BUFFERED_BYTES: 256 * 1024 } })
    const reader = rawSocket(url(scope.srv, 'wb1', 'viewer'))
    await opened(reader.ws)
    await waitFor(() => reader.messages.length > 0, 'reader joined')
    ;(reader.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const writer = connect(scope.srv.wsBase, 'wb1', tokenFor('editor'))
    await synced(writer)
    const chunk = 'x'.repeat(100_000)
    for (let i = 0; i < 300 && !scope.srv.server.metrics.closes.get('slow-consumer'); i++) {
      writer.doc.getArray('big').push([`${i}${chunk}`])
      await new Promise((r) => setTimeout(r, 2))
    }
    await waitFor(
      () => scope.srv!.server.metrics.closes.get('slow-consumer') === 1,
      'slow consumer closed',
    )
    reader.ws.terminate()
  })
})
