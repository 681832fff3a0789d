/** What the web app can read from a share token without the server's secret. */
export interface TokenClaims {
  role?: 'editor' | 'viewer'
  workbook?: string
  name?: string
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
    return {
      role: role === 'viewer' || role === 'editor' ? role : undefined,
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
