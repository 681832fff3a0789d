import { mintableRoles, namesLinkUser, type Role } from '@taizhang/shared'
import type { TokenClaims } from './tokens.js'

/**
 * access (issue 16 §1): whether `caller` may mint a link of `role` through `POST /api/share` —
 * the shared rule (`mintableRoles` in shared/src/access/roles.ts), which the web app's 分享 button
 * and dialog read too (web/src/access/share/shareRoles.ts).
 */
export function mayShare(caller: TokenClaims, role: Role): boolean {
  return mintableRoles(caller.role).includes(role)
}

/** Whether `caller` may name the new link's user id (`namesLinkUser`: an owner only). */
export function mayNameUser(caller: TokenClaims): boolean {
  return namesLinkUser(caller.role)
}
