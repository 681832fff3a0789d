import { type Role, Roles } from '@taizhang/shared'
import type { TokenClaims } from './tokens.js'

/**
 * access (issue 16 §1): who may mint which role through `POST /api/share`. An owner any (the
 * server's start link is an owner's); an editor an editor, scoped editor or viewer (minting an
 * owner or approver from it would raise its own rights, also for an editor of every workbook).
 * Nobody else shares: not an approver, not a scoped editor (any link it made would reach past its
 * station), not a viewer. The web app reads the same rule for its 分享 button and dialog
 * (web/src/access/share/shareRoles.ts); both test the same table of cases.
 */
export function mayShare(caller: TokenClaims, role: Role): boolean {
  if (caller.role === Roles.owner) return true
  if (caller.role !== Roles.editor) return false
  return role === Roles.editor || role === Roles.scopedEditor || role === Roles.viewer
}

/**
 * Whether the caller may name the new link's user id (the stable id attestation binds edits to,
 * issue 13 §4): an owner only. An editor naming one could mint a link that writes as somebody
 * else's id (the bureau head's, say) and have the server vouch for it; an editor's links get no
 * user id, so their edits are attested under the name the link carries.
 */
export function mayNameUser(caller: TokenClaims): boolean {
  return caller.role === Roles.owner
}
