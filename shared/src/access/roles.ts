/**
 * Roles per workbook (issue 16). A token names one of them; a scoped editor's token also names its
 * scope, a station or a district. Pure: the server checks claims with `checkIdentityClaims` at the
 * upgrade, the web app reads the same shape from its token.
 */

export const Roles = {
  /** Manages sharing, access rules and the sheets' structure; may change everything. */
  owner: 'owner',
  /** Locks and reopens periods, grants lock exceptions, marks completeness; edits data like an editor. */
  approver: 'approver',
  /** Edits data of every row (unless access rules say otherwise). */
  editor: 'editor',
  /** Edits only rows in its scope (a station or a district). */
  scopedEditor: 'scoped-editor',
  /** Reads only. */
  viewer: 'viewer',
} as const
export type Role = (typeof Roles)[keyof typeof Roles]
export const ROLES: readonly Role[] = Object.values(Roles)

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x)
}

const EDITOR_MINTS: readonly Role[] = [Roles.editor, Roles.scopedEditor, Roles.viewer]
const NONE: readonly Role[] = []

/**
 * The roles a share link made by `role` may carry (`POST /api/share`, and the 分享 button and
 * dialog that offer only what the server mints): an owner any (the server's start link is an
 * owner's); an editor an editor, scoped editor or viewer (an owner or approver link would raise
 * its maker's rights, also for an editor of every workbook); nobody else — not an approver, not a
 * scoped editor (any link it made would reach past its station), not a viewer.
 */
export function mintableRoles(role: Role): readonly Role[] {
  if (role === Roles.owner) return ROLES
  return role === Roles.editor ? EDITOR_MINTS : NONE
}

/**
 * Whether a share link made by `role` may name its recipient's user id (the stable id attestation
 * binds edits to, issue 13 §4): an owner's only. An editor naming one could mint a link that
 * writes as somebody else's id (the bureau head's, say) and have the server vouch for it.
 */
export function namesLinkUser(role: Role): boolean {
  return role === Roles.owner
}

/** Whether a role may send document updates at all (a viewer may not). */
export function canWrite(role: Role): boolean {
  return role !== Roles.viewer
}

/** A scoped editor's scope: exactly one of a station (its id or name) or a district. */
export type Scope =
  | { station: string; district?: undefined }
  | { district: string; station?: undefined }

/** Who is acting, as the rules see them. `userId` is stable (issue 13 §4); `name` is shown. */
export interface AccessIdentity {
  role: Role
  name: string
  userId?: string
  scope?: Scope
}

/** Longest station or district name a scope may carry (they are labels, not documents). */
export const SCOPE_MAX_CHARS = 200

export type ClaimsCheck = { ok: true; scope?: Scope } | { ok: false; reason: ScopeProblem }
export type ScopeProblem = 'scope-missing' | 'scope-not-allowed' | 'scope-invalid'

/**
 * Whether a role and a scope belong together: a scoped editor needs exactly one non-empty scope,
 * every other role must have none (a viewer token with a scope is a mistake or a forgery attempt).
 */
export function checkIdentityClaims(role: Role, scope: unknown): ClaimsCheck {
  if (scope === undefined || scope === null) {
    return role === Roles.scopedEditor ? { ok: false, reason: 'scope-missing' } : { ok: true }
  }
  if (role !== Roles.scopedEditor) return { ok: false, reason: 'scope-not-allowed' }
  if (typeof scope !== 'object') return { ok: false, reason: 'scope-invalid' }
  const { station, district, ...rest } = scope as Record<string, unknown>
  if (Object.keys(rest).length > 0) return { ok: false, reason: 'scope-invalid' }
  const good = (s: unknown): s is string =>
    typeof s === 'string' && s.trim() !== '' && s.length <= SCOPE_MAX_CHARS
  if (station !== undefined && district === undefined && good(station))
    return { ok: true, scope: { station } }
  if (district !== undefined && station === undefined && good(district))
    return { ok: true, scope: { district } }
  return { ok: false, reason: 'scope-invalid' }
}

/** zh-CN and English for a claims problem (CLI and upgrade refusals). */
export const SCOPE_PROBLEM_MESSAGES: Record<ScopeProblem, { zh: string; en: string }> = {
  'scope-missing': {
    zh: '限定范围的编辑者必须指定站点或区县',
    en: 'a scoped editor needs a station or a district',
  },
  'scope-not-allowed': {
    zh: '只有限定范围的编辑者可以带站点或区县',
    en: 'only a scoped editor may carry a station or district scope',
  },
  'scope-invalid': {
    zh: '范围无效：只能指定一个站点或一个区县（非空，最多 200 字）',
    en: 'invalid scope: exactly one station or one district (non-empty, at most 200 characters)',
  },
}

/** The `user` record access conditions read (`user.station`, `user.district`, `user.role`…). */
export function userRecord(who: AccessIdentity): Record<string, string | null> {
  return {
    id: who.userId ?? null,
    name: who.name,
    role: who.role,
    station: who.scope?.station ?? null,
    district: who.scope?.district ?? null,
  }
}
