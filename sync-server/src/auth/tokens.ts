import { createHmac, timingSafeEqual } from 'node:crypto'
import { type Role as AccessRole, checkIdentityClaims, isRole, type Scope } from '@taizhang/shared'

/** Who a token speaks for. `workbook` is one workbook id or `*` (all workbooks). */
export interface TokenClaims {
  workbook: string
  role: Role
  /** access (issue 16): a scoped editor's station or district; no other role carries one. */
  scope?: Scope
  name: string
  /** Stable user id (`--user`); tokens minted before it have none (the name stands in). */
  user?: string
  /** Expiry, Unix milliseconds. */
  expiresAt: number
}
/** owner, approver, editor, scoped-editor or viewer (shared/src/access/roles.ts). */
export type Role = AccessRole

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'bad-scope' }

const PREFIX = 'tz1'
const DAY_MS = 86_400_000

const b64url = (buf: Buffer) => buf.toString('base64url')
const sign = (secret: string, body: string) =>
  createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest()

/**
 * Mints `tz1.<base64url(json claims)>.<base64url(HMAC-SHA256(secret, "tz1.<claims>"))>`.
 * Claims are short keys: w workbook, r role, n name, u user id (optional), s scope (optional,
 * `{station}` or `{district}`, scoped editors only), e expiry (Unix ms).
 */
export function signToken(secret: string, claims: TokenClaims): string {
  const body = b64url(
    Buffer.from(
      JSON.stringify({
        w: claims.workbook,
        r: claims.role,
        n: claims.name,
        ...(claims.user !== undefined ? { u: claims.user } : {}),
        ...(claims.scope ? { s: claims.scope } : {}),
        e: claims.expiresAt,
      }),
    ),
  )
  return `${PREFIX}.${body}.${b64url(sign(secret, body))}`
}

/** Verifies signature and expiry (against `now`, Unix ms). */
export function verifyToken(
  secret: string,
  token: string | null | undefined,
  now: number,
): VerifyResult {
  if (!token) return { ok: false, reason: 'missing' }
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, reason: 'malformed' }
  const [, body, sig] = parts as [string, string, string]
  const expected = sign(secret, body)
  const given = Buffer.from(sig, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' }
  }
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  const claims = parseClaims(raw)
  if (!claims) return { ok: false, reason: 'malformed' }
  if (claims.expiresAt <= now) return { ok: false, reason: 'expired' }
  // access (issue 16): a signed token whose role and scope do not belong together is refused.
  const scope = checkIdentityClaims(claims.role, (raw as Record<string, unknown>).s)
  if (!scope.ok) return { ok: false, reason: 'bad-scope' }
  return { ok: true, claims: scope.scope ? { ...claims, scope: scope.scope } : claims }
}

function parseClaims(raw: unknown): TokenClaims | null {
  if (typeof raw !== 'object' || raw === null) return null
  const { w, r, n, u, e } = raw as Record<string, unknown>
  if (typeof w !== 'string' || typeof n !== 'string' || typeof e !== 'number') return null
  if (!isRole(r)) return null
  if (u !== undefined && typeof u !== 'string') return null
  return { workbook: w, role: r, name: n, ...(u !== undefined ? { user: u } : {}), expiresAt: e }
}

/** Whether `claims` let their holder open `workbook` at all. */
export function coversWorkbook(claims: TokenClaims, workbook: string): boolean {
  return claims.workbook === '*' || claims.workbook === workbook
}

/** Expiry `days` from `now`. */
export function expiryInDays(now: number, days: number): number {
  return now + Math.round(days * DAY_MS)
}

/** Workbook ids: URL-safe, 1–128 chars (they appear in paths, keys and links). */
export const WORKBOOK_ID = /^[A-Za-z0-9_-]{1,128}$/

/** The share link the web app opens: the token travels in the fragment, never to a server log. */
export function shareUrl(publicUrl: string, workbook: string, token: string): string {
  const base = publicUrl.replace(/\/+$/, '')
  const path = workbook === '*' ? '#/' : `#/w/${encodeURIComponent(workbook)}`
  return `${base}/${path}?token=${encodeURIComponent(token)}`
}
