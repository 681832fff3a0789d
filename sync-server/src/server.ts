import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  checkIdentityClaims,
  isRole,
  SCOPE_PROBLEM_MESSAGES,
  type Scope,
  SYNC_PATH,
} from '@taizhang/shared'
import type { Logger } from 'pino'
import { handleApi, isApiPath } from './api/router.js'
import { createRoomsSource } from './api/WorkbookSource.js'
import type { Authenticator } from './auth/Authenticator.js'
// access-client (issue 16 §1): who may mint which role, shared with the web app's 分享 rule
import { mayNameUser, mayShare } from './auth/shareRules.js'
import { createTokenAuthenticator } from './auth/tokenAuthenticator.js'
import {
  coversWorkbook,
  expiryInDays,
  type Role,
  shareUrl,
  signToken,
  type TokenClaims,
  verifyToken,
  WORKBOOK_ID,
} from './auth/tokens.js'
import type { Cluster } from './cluster/createCluster.js'
import { acceptConnection, type ConnectionDeps } from './connection.js'
import { bump, renderMetrics } from './metrics.js'
import { serveStatic } from './static.js'
import type { DocStore } from './storage/DocStore.js'
import type { VersionKeeper } from './versions/VersionKeeper.js'
import { WebSocketServer } from './wsNode.js'

export interface HttpDeps extends ConnectionDeps {
  secret: string
  webDir: string
  /** Base of share links, e.g. `http://192.168.1.5:8787`. */
  publicUrl: string
  /** Allowed browser origins; empty means same-origin only, `*` means any. */
  allowOrigins: string[]
  /** Anyone may edit without a token (explicit `--dev-anonymous` only). */
  devAnonymous: boolean
  /** Who may open a room; defaults to the HMAC tokens signed with `secret`. */
  auth?: Authenticator
  now: () => number
  log: Logger
  /** Storage, for the read API (src/api/); without it the API answers 503. */
  store?: DocStore
  /** cluster (issue #17): store/bus health for /healthz, its metrics for /metrics. */
  cluster?: Pick<Cluster, 'health' | 'metricsText'>
  /** versions (issue 13 §3): takes and serves versions for the read API; absent = versions off. */
  versions?: VersionKeeper
}

/** Share tokens: default and longest lifetime (days). */
export const SHARE_DEFAULT_DAYS = 30
export const SHARE_MAX_DAYS = 365
const MAX_API_BODY_BYTES = 16 * 1024

/** HTTP + WebSocket upgrade, nothing else: routes to static files, health, metrics, share API. */
export function createHttpServer(deps: HttpDeps): { server: Server; wss: WebSocketServer } {
  const { log, metrics, limits } = deps
  const auth = deps.auth ?? createTokenAuthenticator(deps)
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.MAX_FRAME_BYTES,
    perMessageDeflate: false,
  })

  const server = createServer((req, res) => {
    route(req, res, deps).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'request failed')
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined)
    const url = new URL(req.url ?? '/', 'http://x')
    const prefix = `${SYNC_PATH}/`
    if (!url.pathname.startsWith(prefix)) return refuse(socket, 404, 'not found')
    let room: string
    try {
      room = decodeURIComponent(url.pathname.slice(prefix.length))
    } catch {
      return refuse(socket, 400, 'bad workbook id')
    }
    if (!WORKBOOK_ID.test(room)) return refuse(socket, 400, 'bad workbook id')
    if (!originAllowed(req, deps.allowOrigins)) {
      bump(metrics.rejected, 'origin')
      return refuse(socket, 403, 'origin not allowed')
    }
    const decision = auth.authorize(url.searchParams.get('token'), room)
    if (!decision.ok) {
      bump(metrics.rejected, decision.metric)
      return refuse(socket, decision.status, decision.reason)
    }
    const who = decision.identity
    const wantsAck = url.searchParams.get('ack') === '1'
    wss.handleUpgrade(req, socket, head, (ws) => acceptConnection(ws, room, who, wantsAck, deps))
  })
  return { server, wss }
}

/** Answers a refused upgrade with a plain HTTP status; no WebSocket (and no document byte). */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`
  const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Request'
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : text}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

function originAllowed(req: IncomingMessage, allow: string[]): boolean {
  const origin = req.headers.origin
  // Non-browser clients send no Origin; the token is their gate.
  if (!origin) return true
  if (allow.includes('*') || allow.includes(origin)) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    // cluster: "degraded" while the shared store is down (still 200: every server shares it, so
    // taking this one out of the balancer helps nobody; writes and acks wait and resume).
    const cluster = deps.cluster?.health()
    res.end(
      JSON.stringify({
        ok: cluster ? cluster.status === 'ok' : true,
        rooms: deps.rooms.size,
        connections: deps.metrics.connections,
        ...(cluster ?? {}),
      }),
    )
    return
  }
  if (url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' })
    // cluster: its prom-client registry (bus lag, stream length, store latency) follows.
    const clusterText = deps.cluster ? await deps.cluster.metricsText() : ''
    res.end((await renderMetrics(deps.metrics)) + clusterText) // metrics: prom-client (async)
    return
  }
  // Read API (docs/API.md): everything under /api/workbooks belongs to src/api/.
  if (isApiPath(url.pathname)) {
    const source = deps.store ? createRoomsSource(deps.rooms, deps.store) : null
    return handleApi(req, res, { ...deps, source })
  }
  if (url.pathname === '/api/share') {
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' })
    return share(req, res, deps)
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith(`${SYNC_PATH}/`)) {
    return json(res, 404, { error: 'not found' })
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method' })
  return serveStatic(deps.webDir, req, res)
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

/**
 * `POST /api/share` with `Authorization: Bearer <token>` and `{workbook, role, days?, name?,
 * user?}` (user: the stable id attestation binds edits to, issue 13 §4).
 * Rule: the caller's token must cover `workbook` (that id or `*`) with a role that may mint the
 * requested one (auth/shareRules.ts: `mayShare`), and only an owner names a `user` id
 * (`mayNameUser`); the new token names exactly that workbook and expires no later than the
 * caller's own token.
 */
async function share(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const auth = req.headers.authorization ?? ''
  const bearer = auth.startsWith('Bearer ') ? auth.slice(7).trim() : null
  const v = verifyToken(deps.secret, bearer, deps.now())
  if (!v.ok) return json(res, 401, { error: `unauthorized: ${v.reason}` })
  let body: unknown
  try {
    body = JSON.parse(await readBody(req, MAX_API_BODY_BYTES))
  } catch {
    return json(res, 400, { error: 'body must be JSON, at most 16 KiB' })
  }
  const parsed = parseShareRequest(body)
  if (typeof parsed === 'string') return json(res, 400, { error: parsed })
  if (!mayShare(v.claims, parsed.role) || !coversWorkbook(v.claims, parsed.workbook)) {
    return json(res, 403, {
      error: 'forbidden: your link may not share this workbook with that role',
      message: '无权以该角色分享此工作簿 / your link may not share this workbook with that role',
    })
  }
  if (parsed.user !== undefined && !mayNameUser(v.claims)) {
    return json(res, 403, {
      error: 'forbidden: only an owner may set the user id of a link',
      message: '只有所有者可以指定链接的用户编号 / only an owner may set the user id of a link',
    })
  }
  const now = deps.now()
  const claims: TokenClaims = {
    workbook: parsed.workbook,
    role: parsed.role,
    name: parsed.name,
    ...(parsed.user !== undefined ? { user: parsed.user } : {}),
    ...(parsed.scope ? { scope: parsed.scope } : {}),
    expiresAt: Math.min(expiryInDays(now, parsed.days), v.claims.expiresAt),
  }
  const token = signToken(deps.secret, claims)
  deps.log.info(
    { workbook: claims.workbook, role: claims.role, name: claims.name, by: v.claims.name },
    'share token minted',
  )
  return json(res, 200, {
    token,
    url: shareUrl(deps.publicUrl, claims.workbook, token),
    expiresAt: claims.expiresAt,
  })
}

function parseShareRequest(
  body: unknown,
):
  | { workbook: string; role: Role; days: number; name: string; user?: string; scope?: Scope }
  | string {
  if (typeof body !== 'object' || body === null) return 'body must be an object'
  const { workbook, role, days, name, user, scope } = body as Record<string, unknown>
  if (typeof workbook !== 'string' || !WORKBOOK_ID.test(workbook)) return 'bad workbook id'
  // access (issue 16): every role; a scoped editor's station or district, no scope for the rest
  if (!isRole(role)) return 'role must be owner, approver, editor, scoped-editor or viewer'
  const claims = checkIdentityClaims(role, scope)
  if (!claims.ok) return SCOPE_PROBLEM_MESSAGES[claims.reason].en
  const d = days === undefined ? SHARE_DEFAULT_DAYS : days
  if (typeof d !== 'number' || !(d > 0) || d > SHARE_MAX_DAYS) {
    return `days must be in (0, ${SHARE_MAX_DAYS}]`
  }
  const n = name === undefined ? 'shared link' : name
  if (typeof n !== 'string' || n.length > 100) return 'name must be a string of ≤ 100 chars'
  // attestation (issue 13 §4): an optional stable user id
  if (user !== undefined && (typeof user !== 'string' || !/^\S{1,128}$/u.test(user))) {
    return 'user must be 1–128 characters without spaces'
  }
  return {
    workbook,
    role,
    days: d,
    name: n,
    ...(user !== undefined ? { user } : {}),
    ...(claims.scope ? { scope: claims.scope } : {}),
  }
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
