/**
 * Who may share a workbook, and which roles their links may carry (issue 16 §1): the rule the
 * server applies to `POST /api/share` (`mintableRoles`, `namesLinkUser` in shared/src/access),
 * read for the session's token, so the 分享 button and the share dialog offer only what the server
 * will mint. The same table of cases is tested here and against a real server
 * (sync-server/src/test/shareRoles.test.ts).
 */
import { mintableRoles, namesLinkUser, ROLES, type Role, Roles } from '@taizhang/shared'
import type { WorkbookSession } from '../../doc/openWorkbook'
import { readTokenClaims, type TokenClaims } from '../../doc/token'

/**
 * The roles a link made with this session's token may carry; empty: the session may not share (a
 * viewer, a scoped editor, an approver). No token: a workbook made on this device, whose maker
 * owns it (as `identityFromClaims` reads it). A token without a role is an editor's, as there.
 */
export function shareableRoles(claims: TokenClaims | null): readonly Role[] {
  return claims ? mintableRoles(claims.role ?? Roles.editor) : ROLES
}

/**
 * Whether a link made with this session's token may name its recipient's user id: an owner's
 * only (an editor naming one could have edits vouched for as somebody else's). No token: a
 * workbook of this device, whose maker owns it.
 */
export function mayNameUser(claims: TokenClaims | null): boolean {
  return !claims || namesLinkUser(claims.role ?? Roles.editor)
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
