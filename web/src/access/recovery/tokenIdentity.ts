/**
 * Who this device acts as, for the rules (issue 16): the role and scope a token names (claims `r`,
 * `s`, `n`, `u`; sync-server/src/auth/tokens.ts). Read without the secret: the server enforces the
 * real claims; here they only decide which refused changes the rebuild may re-apply. No token
 * (a local workbook, a dev-anonymous server) means an editor.
 */
import { type AccessIdentity, checkIdentityClaims, isRole } from '@taizhang/shared'

function payloadOf(token: string): Record<string, unknown> | null {
  const parts = token.split('.')
  for (const part of parts.length === 3 ? [parts[1] as string] : parts) {
    try {
      const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
      const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
      const v: unknown = JSON.parse(
        new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))),
      )
      if (v && typeof v === 'object') return v as Record<string, unknown>
    } catch {
      // not this part
    }
  }
  return null
}

export function identityFromToken(token: string | null | undefined, name: string): AccessIdentity {
  const p = token ? payloadOf(token) : null
  const role = p && isRole(p.r ?? p.role) ? ((p.r ?? p.role) as AccessIdentity['role']) : 'editor'
  const claims = checkIdentityClaims(role, p?.s ?? p?.scope)
  const who: AccessIdentity = { role, name: typeof p?.n === 'string' ? p.n : name }
  if (typeof p?.u === 'string') who.userId = p.u
  if (claims.ok && claims.scope) who.scope = claims.scope
  return who
}
