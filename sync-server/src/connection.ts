import { CLOSE, type Scope } from '@taizhang/shared'
import type { Logger } from 'pino'
import type { Role } from './auth/tokens.js'
import type { Limits } from './limits.js'
import { bump, type Metrics } from './metrics.js'
import type { Peer } from './Peer.js'
import { type HandleResult, handleMessage, joinMessages } from './protocol/handleMessage.js'
import type { Room, Rooms } from './rooms.js'
import type { WebSocket } from './wsNode.js'

type Close = (typeof CLOSE)[keyof typeof CLOSE]

export interface ConnectionDeps {
  rooms: Rooms
  log: Logger
  metrics: Metrics
  limits: Limits
}

export interface Identity {
  role: Role
  name: string
  /** access (issue 16): a scoped editor's station or district. */
  scope?: Scope
  /** Stable user id (token `--user`; the name for tokens minted before it existed). */
  user: string
}

let nextPeerId = 1
const BINARY = { binary: true, fin: true } as const
const BINARY_MORE = { binary: true, fin: false } as const

/** A token bucket; `take` answers whether `cost` fits now. */
class Bucket {
  private tokens: number
  private last = performance.now()
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst
  }
  take(cost: number): boolean {
    const now = performance.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }
}

/**
 * The connection lifecycle, in order: buffer frames from the first moment (bounded), load the
 * room (one load per room), join, replay the buffer, then hand each frame to the handler table.
 * The token was already checked during the HTTP upgrade.
 */
export function acceptConnection(
  ws: WebSocket,
  roomName: string,
  who: Identity,
  wantsAck: boolean,
  deps: ConnectionDeps,
): void {
  const { rooms, log, metrics, limits } = deps
  let room: Room | null = null
  let closed = false
  const early: Uint8Array[] = []
  let earlyBytes = 0
  const messages = new Bucket(limits.RATE_MESSAGES_PER_S, limits.RATE_BURST_MESSAGES)
  const bytes = new Bucket(limits.RATE_BYTES_PER_S, limits.RATE_BURST_BYTES)
  const alive = { pong: true }

  const close = (c: Close, reason: string) => {
    if (closed) return
    closed = true
    bump(metrics.closes, c.reason)
    log.info({ room: roomName, peer: peer.id, code: c.code, reason }, 'closing connection')
    ws.close(c.code, c.reason)
    // A peer that ignores the close handshake is cut after a grace period.
    setTimeout(() => ws.terminate(), 2_000).unref()
  }

  // The socket under ws, for messages framed once for many peers (`sendWire`): ws frames each
  // `send` itself (an options object, a header Buffer, a corked two-part write per peer). Writing
  // our own complete frames between ws's is safe because ours never leaves a message half sent
  // (sendParts writes all fragments in one call) and ws queues nothing here (no compression, no
  // Blobs); `bufferedAmount` counts these bytes too (it reads the socket's write buffer).
  const socket = (ws as unknown as { _socket?: { write(b: Buffer): boolean } })._socket
  /** Whether a message of `length` bytes may be sent now (else the slow consumer is closed). */
  const admit = (length: number): boolean => {
    if (closed || ws.readyState !== ws.OPEN) return false
    if (ws.bufferedAmount + length > limits.MAX_BUFFERED_BYTES) {
      close(CLOSE.slowConsumer, 'send buffer over limit')
      return false
    }
    metrics.messagesOut++
    metrics.bytesOut += length
    return true
  }

  const peer: Peer = {
    id: nextPeerId++,
    role: who.role,
    name: who.name,
    ...(who.scope ? { scope: who.scope } : {}),
    user: who.user,
    wantsAck,
    clientIds: new Set(),
    send(message) {
      if (admit(message.length)) ws.send(message, BINARY)
    },
    sendParts(parts) {
      let length = 0
      for (const p of parts) length += p.length
      if (!admit(length)) return
      const last = parts.length - 1
      for (let i = 0; i <= last; i++) ws.send(parts[i]!, i === last ? BINARY : BINARY_MORE)
    },
    sendWire(message) {
      if (!admit(message.payload.length)) return
      if (socket) socket.write(message.frame)
      else ws.send(message.payload, BINARY)
    },
  }
  metrics.connections++

  const settle = (result: HandleResult) => {
    switch (result.kind) {
      case 'ok':
        return
      case 'dropped':
        bump(metrics.rejected, result.rejected)
        return
      case 'close':
        bump(metrics.rejected, result.rejected)
        close(result.close, result.rejected)
        return
      default: {
        const never: never = result
        throw new Error(`unhandled result ${JSON.stringify(never)}`)
      }
    }
  }

  const process = (data: Uint8Array) => {
    if (closed || !room) return
    const result = handleMessage(room, peer, data)
    // A cold room answers some frames after a storage read; later frames go on meanwhile (the
    // room keeps editors' updates in arrival order).
    if (result instanceof Promise) void result.then(settle)
    else settle(result)
  }

  ws.on('message', (raw, isBinary) => {
    if (closed) return
    const data = toBytes(raw)
    metrics.messagesIn++
    metrics.bytesIn += data.length
    if (!isBinary) {
      bump(metrics.rejected, 'bad-frame')
      return close(CLOSE.badFrame, 'text frame')
    }
    if (!messages.take(1) || !bytes.take(data.length)) {
      bump(metrics.rejected, 'rate-limited')
      return close(CLOSE.rateLimited, 'rate limit')
    }
    if (!room) {
      earlyBytes += data.length
      if (
        early.length >= limits.MAX_PRELOAD_QUEUE_MESSAGES ||
        earlyBytes > limits.MAX_PRELOAD_QUEUE_BYTES
      ) {
        bump(metrics.rejected, 'queue-overflow')
        return close(CLOSE.queueOverflow, 'too much queued before the room loaded')
      }
      early.push(data)
      return
    }
    process(data)
  })
  ws.on('pong', () => {
    alive.pong = true
  })
  ws.on('error', (err) => log.debug({ err, peer: peer.id }, 'socket error'))
  ws.on('close', () => {
    closed = true
    metrics.connections--
    if (room) rooms.leave(room, peer)
    clearInterval(pinger)
  })

  // Ping/pong reaping: a connection that missed the last pong is dead after ≤ 2 intervals.
  const pinger = setInterval(() => {
    if (!alive.pong) {
      bump(metrics.closes, 'dead')
      ws.terminate()
      return
    }
    alive.pong = false
    ws.ping()
  }, limits.PING_INTERVAL_MS)
  pinger.unref()

  rooms.get(roomName).then(
    (loaded) => {
      if (closed) {
        // Left while the room loaded: let the room unload like any other empty room.
        rooms.release(loaded)
        return
      }
      room = loaded
      rooms.join(loaded, peer)
      for (const m of joinMessages(loaded)) peer.send(m)
      loaded.sendDurable(peer)
      const queued = early.splice(0)
      for (const m of queued) process(m)
    },
    (err: unknown) => {
      log.error({ err, room: roomName }, 'room load failed')
      close(CLOSE.unavailable, 'room load failed')
    },
  )
}

function toBytes(raw: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(raw)) return new Uint8Array(Buffer.concat(raw))
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw)
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
}
