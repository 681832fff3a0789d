/**
 * Who may share a workbook, and which roles their links may carry (issue 16 §1): the server's
 * rule for `POST /api/share` (sync-server/src/auth/shareRules.ts `mayShare`) read for the
 * session's token, so the 分享 button and the share dialog offer only what the server will mint.
 * The two are kept equal by the same table of cases in shareRoles.test.ts and the server's
 * sync-server/src/test/shareRoles.test.ts.
 */
import { ROLES, type Role, Roles } from '@taizhang/shared'
import type { WorkbookSession } from '../../doc/openWorkbook'
import { readTokenClaims, type TokenClaims } from '../../doc/token'

/** What an editor of one workbook may mint: nothing above an editor (no owner, no approver). */
const EDITOR_MINTS: readonly Role[] = [Roles.editor, Roles.scopedEditor, Roles.viewer]

/**
 * The roles a link made with this session's token may carry; empty: the session may not share (a
 * viewer, a scoped editor, an approver). No token: a workbook made on this device, whose maker
 * owns it (as `identityFromClaims` reads it). A token without a role is an editor's, as there.
 */
export function shareableRoles(claims: TokenClaims | null): readonly Role[] {
  if (!claims) return ROLES
  const role = claims.role ?? Roles.editor
  if (role === Roles.owner) return ROLES
  return role === Roles.editor ? EDITOR_MINTS : []
}

/**
 * Whether a link made with this session's token may name its recipient's user id: an owner's
 * only (the server's `mayNameUser`: an editor naming one could have edits vouched for as
 * somebody else's). No token: a workbook of this device, whose maker owns it.
 */
export function mayNameUser(claims: TokenClaims | null): boolean {
  return !claims || claims.role === Roles.owner
}

/** Whether the 分享 button is offered at all. */
export function mayShare(claims: TokenClaims | null): boolean {
  return shareableRoles(claims).length > 0
}

/** The claims of the token a session connects with (null: none, a workbook of this device). */
export function sessionClaims(session: Pick<WorkbookSession, 'provider'>): TokenClaims | null {
  const token = session.provider?.params.token
  return token ? readTokenClaims(token) : null
}

/** Whether the open workbook's session may share it (the 分享 command's rule). */
export function sessionMayShare(session: Pick<WorkbookSession, 'provider'>): boolean {
  return mayShare(sessionClaims(session))
}
