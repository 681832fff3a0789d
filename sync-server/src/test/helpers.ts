import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ACK_PARAMS, installAckHandler } from '@taizhang/shared'
import { pino } from 'pino'
import { afterEach } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type Role, signToken, type TokenClaims } from '../auth/tokens.js'
import type { Limits } from '../limits.js'
import { type RunningServer, startServer } from '../main.js'
import type { DocStore } from '../storage/DocStore.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { WebSocket } from '../wsNode.js'

// Each WebsocketProvider adds a process 'exit' listener; tests open dozens.
process.setMaxListeners(200)

export const SECRET = 'test-secret-0123456789abcdef'
export const silent = pino({ level: 'silent' })

/** Polls `cond` every `everyMs` until true; throws after `timeoutMs` (a bound, not a speed check). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
  everyMs = 5,
): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export function tokenFor(
  role: Role,
  workbook = '*',
  opts: {
    name?: string
    user?: string
    expiresAt?: number
    secret?: string
    /** A scoped editor's scope, e.g. `{ station }`. */
    scope?: TokenClaims['scope']
  } = {},
): string {
  return signToken(opts.secret ?? SECRET, {
    workbook,
    role,
    name: opts.name ?? role,
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.scope !== undefined ? { scope: opts.scope } : {}),
    expiresAt: opts.expiresAt ?? Date.now() + 3_600_000,
  })
}

/** A DocStore wrapper that counts calls and bytes, and can be told to fail or stall (test-side). */
export class InstrumentedStore implements DocStore {
  loads = 0
  appends = 0
  appendedBytes = 0
  compacts = 0
  failAppends = 0
  appendDelayMs = 0
  loadDelayMs = 0
  constructor(readonly inner: DocStore) {}
  async load(room: string) {
    this.loads++
    if (this.loadDelayMs) await new Promise((r) => setTimeout(r, this.loadDelayMs))
    return this.inner.load(room)
  }
  async append(room: string, update: Uint8Array) {
    if (this.appendDelayMs) await new Promise((r) => setTimeout(r, this.appendDelayMs))
    if (this.failAppends > 0) {
      this.failAppends--
      throw new Error('injected append failure')
    }
    await this.inner.append(room, update)
    this.appends++
    this.appendedBytes += update.length
  }
  async compact(room: string, merged: Uint8Array) {
    this.compacts++
    return this.inner.compact(room, merged)
  }
  list() {
    return this.inner.list()
  }
  close() {
    return this.inner.close()
  }
}

export interface TestServer {
  server: RunningServer
  store: InstrumentedStore
  wsBase: string
  http: string
}

export async function startTestServer(
  opts: {
    store?: DocStore
    limits?: Partial<Limits>
    webDir?: string
    allowOrigins?: string[]
    gc?: () => void
    /** attestation (issue 13 §4) on */
    attest?: boolean
  } = {},
): Promise<TestServer> {
  const store = new InstrumentedStore(opts.store ?? createMemoryDocStore())
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    secret: SECRET,
    log: silent,
    webDir: opts.webDir ?? '/nonexistent-web-dist',
    allowOrigins: opts.allowOrigins,
    limits: opts.limits,
    gc: opts.gc,
    attest: opts.attest,
  })
  return { server, store, wsBase: `ws://127.0.0.1:${server.port}/sync`, http: server.url }
}

export interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Latest durable state vector received (ack clients). */
  durable: Map<number, number> | null
  acks: number
  denied: number
  destroy(): void
}

type ProviderOptions = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>

/** A real y-websocket client in Node (ws as the WebSocket), optionally opted into acks. */
export function connectClient(
  wsBase: string,
  workbook: string,
  token: string,
  opts: { ack?: boolean; doc?: Y.Doc } = {},
): Client {
  const doc = opts.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(wsBase, workbook, doc, {
    WebSocketPolyfill: WebSocket as unknown as ProviderOptions['WebSocketPolyfill'],
    params: opts.ack ? { ...ACK_PARAMS, token } : { token },
    disableBc: true,
  })
  const client: Client = {
    doc,
    provider,
    durable: null,
    acks: 0,
    denied: 0,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
  if (opts.ack) {
    installAckHandler(provider, (sv) => {
      client.durable = sv
      client.acks++
    })
  }
  // Count permission-denied answers instead of letting y-websocket console.warn each one.
  provider.messageHandlers[2] = () => {
    client.denied++
  }
  return client
}

export function synced(c: Client): Promise<void> {
  return waitFor(() => c.provider.synced, 'client synced')
}

/** Whether everything `doc` holds from its own client id is durable on the server. */
export function ownChangesDurable(c: Client): boolean {
  const local = Y.getState(c.doc.store, c.doc.clientID)
  return (c.durable?.get(c.doc.clientID) ?? 0) >= local
}

/** A raw ws socket (no Yjs), for malformed frames and handshake checks. */
export function rawSocket(
  url: string,
  opts: ConstructorParameters<typeof WebSocket>[2] = {},
): { ws: WebSocket; messages: Uint8Array[]; closed: Promise<{ code: number; reason: string }> } {
  const ws = new WebSocket(url, opts)
  const messages: Uint8Array[] = []
  ws.on('message', (d: Buffer) => messages.push(new Uint8Array(d)))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    ws.on('error', () => undefined)
  })
  return { ws, messages, closed }
}

export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.OPEN) return resolve()
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
}

export async function tempDir(
  prefix = 'tz-test-',
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

const SERVER_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')

let cliBuilt: Promise<string> | undefined

/**
 * The production CLI, `bin/taizhang.mjs`, after building its bundle (`dist/cli.mjs`) once if it is
 * missing or stale, so the servers the tests start in parallel do not all build it. The build runs
 * in its own process: inside a vitest worker esbuild's TextEncoder self-check can fail (the test
 * environment swaps globals).
 */
export function bundleCli(): Promise<string> {
  cliBuilt ??= (async () => {
    const r = spawnSync(process.execPath, [join(SERVER_ROOT, 'scripts/build.mjs'), '--if-stale'], {
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`bundling the CLI failed: ${r.stderr}`)
    return join(SERVER_ROOT, 'bin/taizhang.mjs')
  })()
  return cliBuilt
}

/** Runs the real CLI (`taizhang serve`) as a child process; resolves once it listens. */
export async function spawnServer(
  dataDir: string,
  extra: string[] = [],
): Promise<{ child: ChildProcess; port: number; exited: Promise<number | null> }> {
  const cli = await bundleCli()
  // Executed as a program, as deployed: its launcher line execs Node in the same process, so the
  // child's pid is the server's (kill -9 reaches it).
  const child = spawn(cli, ['serve', '--port', '0', '--data', dataDir, ...extra], {
    cwd: SERVER_ROOT,
    env: { ...process.env, TAIZHANG_SECRET: SECRET, TAIZHANG_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /"port":(\d+).*"msg":"listening"/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    void exited.then((code) =>
      reject(new Error(`server exited (${code}) before listening: ${err}`)),
    )
  })
  return { child, port, exited }
}

/**
 * A test file's server, clients and cleanups, torn down after every test: set `scope.srv` to the
 * server a test starts, open clients with `scope.connect`, push other teardown to `scope.cleanups`.
 */
export function useTestScope() {
  const scope = {
    srv: undefined as TestServer | undefined,
    clients: [] as Client[],
    cleanups: [] as Array<() => Promise<void>>,
    connect(...a: Parameters<typeof connectClient>): Client {
      const c = connectClient(...a)
      scope.clients.push(c)
      return c
    },
  }
  afterEach(async () => {
    for (const c of scope.clients.splice(0)) c.destroy()
    await scope.srv?.server.close()
    scope.srv = undefined
    for (const f of scope.cleanups.splice(0)) await f()
  })
  return scope
}
