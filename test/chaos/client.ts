/**
 * A headless Taizhang client in Node: a Y.Doc + the shared `Workbook`, synced by the official
 * y-websocket `WebsocketProvider` (ws as the WebSocket) with the acknowledgement extension. Every
 * operation it performs is logged with the Yjs clock it reached, so an acknowledgement (the
 * server's durable state vector covering that clock) marks it as safe.
 */
import { ACK_PARAMS, installAckHandler, Workbook } from '../../shared/src/index.js'
import { WebsocketProvider, type WebsocketProviderT, WS, Y, type YDoc } from './deps.js'

type ProviderOptions = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>

/** One entry of the history log. */
export interface OpRecord {
  client: number
  opId: number
  kind: string
  sentAt: number
  /** When the server's durable state vector first covered `clock`; null while unacknowledged. */
  ackedAt: number | null
  /** This client's own Yjs clock right after the op. */
  clock: number
  /** Whether the socket was connected when the op was made (latency is meaningful then). */
  online: boolean
}

/** A cell write, for the "every acknowledged write is explained" check. */
export interface CellWrite {
  client: number
  opId: number
  sheetId: string
  row: string
  col: string
  value: unknown
  editId: string
}

export interface ClientOptions {
  index: number
  wsBase: string
  workbook: string
  token: string
  /** Yjs client id (deterministic per seed, so a failing run names the same replicas). */
  clientID?: number
  /** Upper bound on reconnect back-off, ms (y-websocket's default is 2,500). */
  maxBackoffTime?: number
  /** Connect with acks (default true). */
  ack?: boolean
  /**
   * A slow link: every frame from the server reaches the provider this many ms late, in order.
   * Other replicas then see acks and broadcasts well before this one gets them.
   */
  receiveDelayMs?: number
}

/** Mutable counters shared with the harness. */
export interface ClientStats {
  acks: number
  /** Durable state vectors whose clock for this client went backwards (acknowledged data lost). */
  ackRegressions: Array<{ had: number; got: number; at: number }>
  cuts: number
  disconnects: number
}

// y-websocket adds a process 'exit' listener per provider; a run opens dozens.
process.setMaxListeners(200)

export class ChaosClient {
  readonly doc: YDoc
  readonly provider: WebsocketProviderT
  wb: Workbook | null = null
  undo: ReturnType<Workbook['createUndoManager']> | null = null
  readonly ops: OpRecord[] = []
  readonly writes: CellWrite[] = []
  /** Highest own clock the server has declared durable. */
  ackedClock = 0
  private unackedFrom = 0
  readonly stats: ClientStats = { acks: 0, ackRegressions: [], cuts: 0, disconnects: 0 }
  private offline = false

  constructor(readonly opts: ClientOptions) {
    this.doc = new Y.Doc()
    if (opts.clientID !== undefined) this.doc.clientID = opts.clientID
    const token = opts.token
    this.provider = new WebsocketProvider(opts.wsBase, opts.workbook, this.doc, {
      WebSocketPolyfill: WS.WebSocket as unknown as ProviderOptions['WebSocketPolyfill'],
      params: opts.ack === false ? { token } : { ...ACK_PARAMS, token },
      disableBc: true,
      maxBackoffTime: opts.maxBackoffTime ?? 400,
    })
    if (opts.ack !== false) {
      installAckHandler(this.provider, (sv) => this.onDurable(sv))
    }
    const delay = opts.receiveDelayMs ?? 0
    if (delay > 0) {
      // y-websocket sets `onmessage` when it creates a socket and emits 'connected' from `onopen`,
      // before any frame can arrive: wrap the handler there, once per socket.
      this.provider.on('status', ({ status }) => {
        const ws = this.provider.ws
        if (status !== 'connected' || !ws?.onmessage) return
        const handle = ws.onmessage
        ws.onmessage = (e) => setTimeout(() => handle.call(ws, e), delay)
      })
    }
    // Permission-denied answers would be console noise; an editor token never gets one.
    this.provider.messageHandlers[2] = () => undefined
  }

  get index(): number {
    return this.opts.index
  }
  get connected(): boolean {
    return this.provider.wsconnected && this.provider.synced
  }
  get isOffline(): boolean {
    return this.offline
  }
  get clock(): number {
    return Y.getState(this.doc.store, this.doc.clientID)
  }

  private onDurable(sv: Map<number, number>): void {
    this.stats.acks++
    const got = sv.get(this.doc.clientID) ?? 0
    if (got < this.ackedClock) {
      this.stats.ackRegressions.push({ had: this.ackedClock, got, at: Date.now() })
      return
    }
    this.ackedClock = got
    const now = Date.now()
    const ops = this.ops
    let i = this.unackedFrom
    while (i < ops.length && ops[i]!.clock <= got) {
      if (ops[i]!.ackedAt === null) ops[i]!.ackedAt = now
      i++
    }
    this.unackedFrom = i
  }

  /** Opens (or, for the first client, creates) the workbook once the doc holds the server state. */
  openWorkbook(): Workbook {
    const author = { id: `c${this.index}`, name: `客户端${this.index}` }
    const wb = Workbook.open(this.doc, { author }).workbook
    this.wb = wb
    this.undo = wb.createUndoManager()
    return wb
  }

  /** Records an operation just performed (after its transaction). */
  record(kind: string): OpRecord {
    const op: OpRecord = {
      client: this.index,
      opId: this.ops.length,
      kind,
      sentAt: Date.now(),
      ackedAt: null,
      clock: this.clock,
      online: this.provider.wsconnected && !this.offline,
    }
    // An op that changed nothing is covered by what is already durable.
    if (op.clock <= this.ackedClock) op.ackedAt = op.sentAt
    this.ops.push(op)
    return op
  }

  allAcked(): boolean {
    return this.ackedClock >= this.clock
  }

  /** Cuts the socket abruptly: the TCP connection is destroyed, no WebSocket close frame. */
  cut(mode: 'destroy' | 'terminate'): boolean {
    const ws = this.provider.ws as unknown as
      | (InstanceType<typeof WS.WebSocket> & { _socket?: { destroy(): void } })
      | null
    if (!ws || ws.readyState !== WS.WebSocket.OPEN) return false
    if (mode === 'destroy' && ws._socket) ws._socket.destroy()
    else ws.terminate()
    this.stats.cuts++
    return true
  }

  /** Goes offline (the app's "offline" state: the provider stops reconnecting). */
  goOffline(): void {
    if (this.offline) return
    this.offline = true
    this.stats.disconnects++
    this.provider.disconnect()
  }

  goOnline(): void {
    if (!this.offline) return
    this.offline = false
    this.provider.connect()
  }

  destroy(): void {
    this.provider.destroy()
    this.wb?.destroy()
    this.doc.destroy()
  }
}
