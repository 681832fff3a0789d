import { type Role, Roles } from '@taizhang/shared'
import type { TokenClaims } from './tokens.js'

/**
 * access (issue 16 §1): who may mint which role through `POST /api/share`. An owner any; an editor
 * of every workbook (the server's first-run link) any; an editor of one workbook an editor, scoped
 * editor or viewer (minting an owner or approver from it would raise its own rights). Nobody else
 * shares: not an approver, not a scoped editor (any link it made would reach past its station),
 * not a viewer. The web app reads the same rule for its 分享 button and dialog
 * (web/src/access/share/shareRoles.ts); both test the same table of cases.
 */
export function mayShare(caller: TokenClaims, role: Role): boolean {
  if (caller.role === Roles.owner) return true
  if (caller.role !== Roles.editor) return false
  return (
    caller.workbook === '*' ||
    role === Roles.editor ||
    role === Roles.scopedEditor ||
    role === Roles.viewer
  )
}
