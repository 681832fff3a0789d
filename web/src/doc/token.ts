import { checkIdentityClaims, isRole, type Role, type Scope } from '@taizhang/shared'

/** What the web app can read from a share token without the server's secret. */
export interface TokenClaims {
  /** owner, approver, editor, scoped-editor or viewer (issue 16; shared/src/access/roles.ts). */
  role?: Role
  workbook?: string
  name?: string
  /** The stable user id (attestation, `u`). */
  user?: string
  /** A scoped editor's station or district (`s`); absent for every other role. */
  scope?: Scope
  expiresAt?: number
}

function decodeBase64UrlJson(part: string): unknown {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4)
  const bin = atob(padded)
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
  return JSON.parse(new TextDecoder().decode(bytes))
}

/**
 * Reads the unsigned claims of a token shaped `payload.signature` or `header.payload.signature`
 * (base64url JSON). Only a hint for the UI (read-only before the server answers): the server
 * checks the signature and enforces the role whatever we read here.
 */
export function readTokenClaims(token: string): TokenClaims {
  const parts = token.split('.')
  for (const part of parts.length === 3 ? [parts[1]!, parts[0]!] : parts) {
    let v: unknown
    try {
      v = decodeBase64UrlJson(part)
    } catch {
      continue
    }
    if (!v || typeof v !== 'object') continue
    const o = v as Record<string, unknown>
    const role = o.role ?? o.r
    const workbook = o.workbook ?? o.wb ?? o.w
    const name = o.name ?? o.n
    const exp = o.exp ?? o.expiresAt ?? o.e
    const user = o.user ?? o.u
    // A role and scope that do not belong together are read as no scope (the server refuses
    // such a token at the upgrade anyway).
    const claims = isRole(role) ? checkIdentityClaims(role, o.scope ?? o.s) : null
    return {
      role: isRole(role) ? role : undefined,
      ...(claims?.ok && claims.scope ? { scope: claims.scope } : {}),
      ...(typeof user === 'string' ? { user } : {}),
      workbook: typeof workbook === 'string' ? workbook : undefined,
      name: typeof name === 'string' ? name : undefined,
      // `exp` in JWT style is seconds; a large value is already milliseconds.
      expiresAt: typeof exp === 'number' ? (exp < 1e12 ? exp * 1000 : exp) : undefined,
    }
  }
  return {}
}

/** A share link: `<origin>/#/w/<id>?token=…`, or the token in the query string. */
export interface ParsedLink {
  workbookId: string | null
  token: string | null
}

export function parseShareLink(href: string): ParsedLink | null {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return null
  }
  const hash = url.hash.replace(/^#/, '')
  const [hashPath = '', hashQuery = ''] = hash.split('?')
  const hashParams = new URLSearchParams(hashQuery)
  const token = hashParams.get('token') ?? url.searchParams.get('token')
  const m = /^\/?w\/([^/?#]+)/.exec(hashPath) ?? /\/w\/([^/?#]+)/.exec(url.pathname)
  const workbookId = m ? decodeURIComponent(m[1]!) : null
  if (!workbookId && !token) return null
  return { workbookId, token }
}
