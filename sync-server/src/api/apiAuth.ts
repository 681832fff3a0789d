import type { IncomingMessage } from 'node:http'
import { coversWorkbook, type Role, verifyToken } from '../auth/tokens.js'
import { ApiError } from './errors.js'

/** Who is asking: the workbooks they may read (`*` for all) and their role there. */
export interface ApiCaller {
  workbook: string
  role: Role
  name: string
}

export interface ApiAuthDeps {
  secret: string
  now: () => number
  /** No token needed (`--dev-anonymous`): the caller is an editor of every workbook. */
  devAnonymous: boolean
}

/**
 * The token of a request: `Authorization: Bearer <token>` first, else `?token=` (as on the sync
 * endpoint, for tools that cannot set headers).
 */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (m) return m[1] ?? null
  }
  return url.searchParams.get('token')
}

/** Verifies the request's token; throws an ApiError (401) when it is missing or not valid. */
export function authenticate(req: IncomingMessage, url: URL, deps: ApiAuthDeps): ApiCaller {
  const token = requestToken(req, url)
  if (!token && deps.devAnonymous) return { workbook: '*', role: 'editor', name: 'anonymous' }
  const v = verifyToken(deps.secret, token, deps.now())
  if (!v.ok) throw new ApiError(`token-${v.reason}`)
  return { workbook: v.claims.workbook, role: v.claims.role, name: v.claims.name }
}

/** Throws 403 unless `caller` may read `workbook` (viewer or better). */
export function requireWorkbook(caller: ApiCaller, workbook: string): void {
  if (!coversWorkbook({ ...caller, expiresAt: 0 }, workbook)) {
    throw new ApiError('token-other-workbook')
  }
}
