// access-client (issue 16 §1): the 分享 button and the share dialog's roles follow the server's
// minting rule. The table is the one in sync-server/src/test/shareRoles.test.ts, where the same
// callers are sent to a real server's POST /api/share.
import { ROLES, type Role, type Scope } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../app/toolbarExtensions'
import { offeredTo } from '../../app/viewerVisibility'
import { readTokenClaims } from '../../doc/token'
import { builtinCommands } from '../../workbook/toolbar/commands'
import { mayNameUser, mayShare, shareableRoles } from './shareRoles'

const STATION: Scope = { station: '朝歌街道社工站' }

/** A token as the server shapes it (`tz1.<claims>.<signature>`); the web app reads the claims only. */
function token(claims: { r: Role; w: string; s?: Scope }): string {
  const json = JSON.stringify({ ...claims, n: claims.r, e: Date.now() + 3_600_000 })
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json)))
  return `tz1.${b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.c2ln`
}

const TABLE: [string, { r: Role; w: string; s?: Scope }, Role[]][] = [
  ['owner of wb1', { r: 'owner', w: 'wb1' }, [...ROLES]],
  ['editor of every workbook', { r: 'editor', w: '*' }, ['editor', 'scoped-editor', 'viewer']],
  ['editor of wb1', { r: 'editor', w: 'wb1' }, ['editor', 'scoped-editor', 'viewer']],
  ['approver of wb1', { r: 'approver', w: 'wb1' }, []],
  ['scoped editor of wb1', { r: 'scoped-editor', w: 'wb1', s: STATION }, []],
  ['viewer of wb1', { r: 'viewer', w: 'wb1' }, []],
]

const share = builtinCommands.find((c) => c.id === 'share')!

/** The command context of a session connected with `tok` (null: a workbook of this device). */
const ctxFor = (tok: string | null, readOnly: boolean) =>
  ({
    readOnly,
    grid: null,
    sheetId: 's1',
    session: { provider: tok ? { params: { token: tok } } : null },
    view: { canUndo: () => false },
  }) as unknown as CommandContext

describe('access-client: who sees 分享 and which roles the dialog offers', () => {
  it('the roles offered are the ones the server mints for that token, in the dialog’s order', () => {
    for (const [who, claims, allowed] of TABLE) {
      const roles = shareableRoles(readTokenClaims(token(claims)))
      expect({ who, roles: [...roles] }).toEqual({
        who,
        roles: ROLES.filter((r) => allowed.includes(r)),
      })
    }
  })

  it('分享 is hidden (not greyed) for viewers, scoped editors and approvers; shown to owners and editors', () => {
    for (const [who, claims, allowed] of TABLE) {
      const ctx = ctxFor(token(claims), claims.r === 'viewer')
      expect({ who, offered: offeredTo(share, ctx) }).toEqual({ who, offered: allowed.length > 0 })
      expect({ who, enabled: share.enabled(ctx) }).toEqual({ who, enabled: allowed.length > 0 })
    }
  })

  it('no token: a workbook made on this device, whose maker owns it, may share any role', () => {
    expect(shareableRoles(null)).toEqual(ROLES)
    expect(offeredTo(share, ctxFor(null, false))).toBe(true)
    // A token from before issue 16 without a role reads as an editor's.
    expect(mayShare({ workbook: 'wb1' })).toBe(true)
    expect(shareableRoles({ workbook: 'wb1' })).toEqual(['editor', 'scoped-editor', 'viewer'])
  })

  it('only an owner (or the maker of a device workbook) names the recipient’s user id', () => {
    for (const [who, claims] of TABLE) {
      const c = readTokenClaims(token(claims))
      expect({ who, names: mayNameUser(c) }).toEqual({ who, names: claims.r === 'owner' })
    }
    expect(mayNameUser(null)).toBe(true)
  })
})
