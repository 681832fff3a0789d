import type { AuthDecision, Authenticator } from './Authenticator.js'
import { coversWorkbook, verifyToken } from './tokens.js'

/**
 * Signed, expiring tokens naming a workbook (or `*`), a role and a display name. Without a token,
 * only a server started with `--dev-anonymous` lets anyone in, as an editor.
 */
export function createTokenAuthenticator(opts: {
  secret: string
  now: () => number
  devAnonymous: boolean
}): Authenticator {
  return {
    authorize(token, workbook): AuthDecision {
      if (opts.devAnonymous && !token) {
        return { ok: true, identity: { role: 'editor', name: 'anonymous', user: 'anonymous' } }
      }
      const v = verifyToken(opts.secret, token, opts.now())
      if (!v.ok) {
        return {
          ok: false,
          status: 401,
          reason: `unauthorized: ${v.reason}`,
          metric: `token-${v.reason}`,
        }
      }
      if (!coversWorkbook(v.claims, workbook)) {
        return {
          ok: false,
          status: 403,
          reason: 'forbidden: token is for another workbook',
          metric: 'token-wrong-workbook',
        }
      }
      return {
        ok: true,
        identity: {
          role: v.claims.role,
          name: v.claims.name,
          user: v.claims.user ?? v.claims.name,
          ...(v.claims.scope ? { scope: v.claims.scope } : {}),
        },
      }
    },
  }
}
