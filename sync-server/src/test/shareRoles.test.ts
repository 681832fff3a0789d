// access-client (issue 16 §1): who may mint which role through POST /api/share, over HTTP with a
// real server. The same table of cases is in web/src/access/share/shareRoles.test.ts, which
// checks the web app's 分享 rule (the button and the dialog's roles) against it.
import { ROLES, type Role, type Scope } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import { mayNameUser, mayShare } from '../auth/shareRules.js'
import { signToken, type TokenClaims, verifyToken } from '../auth/tokens.js'
import { SECRET, startTestServer, useTestScope } from './helpers.js'

const scope = useTestScope()

const STATION: Scope = { station: '朝歌街道社工站' }

/** Caller → the roles its token may mint (every other role: 403). */
const TABLE: [string, Pick<TokenClaims, 'role' | 'workbook' | 'scope'>, Role[]][] = [
  ['owner of wb1', { role: 'owner', workbook: 'wb1' }, [...ROLES]],
  [
    'editor of every workbook',
    { role: 'editor', workbook: '*' },
    ['editor', 'scoped-editor', 'viewer'],
  ],
  ['editor of wb1', { role: 'editor', workbook: 'wb1' }, ['editor', 'scoped-editor', 'viewer']],
  ['approver of wb1', { role: 'approver', workbook: 'wb1' }, []],
  ['scoped editor of wb1', { role: 'scoped-editor', workbook: 'wb1', scope: STATION }, []],
  ['viewer of wb1', { role: 'viewer', workbook: 'wb1' }, []],
]

const tokenOf = (c: Pick<TokenClaims, 'role' | 'workbook' | 'scope'>) =>
  signToken(SECRET, { ...c, name: c.role, expiresAt: Date.now() + 3_600_000 })

/** A request body for `role`; a scoped editor's link names a district (wider than a station). */
const bodyFor = (role: Role) => ({
  workbook: 'wb1',
  role,
  ...(role === 'scoped-editor' ? { scope: { district: '淇县' } } : {}),
})

describe('access-client: POST /api/share mints only roles at or below the caller’s', () => {
  it('mayShare follows the table', () => {
    for (const [who, caller, allowed] of TABLE) {
      for (const role of ROLES) {
        expect({ who, role, ok: mayShare({ ...caller, name: 'x', expiresAt: 1 }, role) }).toEqual({
          who,
          role,
          ok: allowed.includes(role),
        })
      }
    }
  })

  it('the server answers 200 with a verifying token of that role, or 403 and mints nothing', async () => {
    scope.srv = await startTestServer()
    const http = scope.srv.http
    for (const [who, caller, allowed] of TABLE) {
      for (const role of ROLES) {
        const r = await fetch(`${http}/api/share`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokenOf(caller)}`,
          },
          body: JSON.stringify(bodyFor(role)),
        })
        const body = (await r.json()) as { token?: string; error?: string }
        expect({ who, role, status: r.status }).toEqual({
          who,
          role,
          status: allowed.includes(role) ? 200 : 403,
        })
        if (r.status !== 200) {
          expect(body.token).toBeUndefined()
          continue
        }
        const v = verifyToken(SECRET, body.token ?? null, Date.now())
        if (!v.ok) throw new Error(`${who}: minted token does not verify: ${v.reason}`)
        expect(v.claims.role).toBe(role)
        expect(v.claims.workbook).toBe('wb1')
      }
    }
  })

  it('only an owner names the user id of a link; an editor asking for one gets 403 in zh and en', async () => {
    scope.srv = await startTestServer()
    const http = scope.srv.http
    for (const [who, caller] of TABLE) {
      const asOwner = caller.role === 'owner'
      expect({ who, ok: mayNameUser({ ...caller, name: 'x', expiresAt: 1 }) }).toEqual({
        who,
        ok: asOwner,
      })
      if (caller.role !== 'owner' && caller.role !== 'editor') continue
      const r = await fetch(`${http}/api/share`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(caller)}` },
        body: JSON.stringify({ ...bodyFor('viewer'), user: 'bureau-head' }),
      })
      const body = (await r.json()) as { token?: string; message?: string }
      expect({ who, status: r.status }).toEqual({ who, status: asOwner ? 200 : 403 })
      if (!asOwner) {
        expect(body.token).toBeUndefined()
        expect(body.message).toContain('只有所有者')
        expect(body.message).toContain('only an owner')
        continue
      }
      const v = verifyToken(SECRET, body.token ?? null, Date.now())
      if (!v.ok) throw new Error(`${who}: minted token does not verify: ${v.reason}`)
      expect(v.claims.user).toBe('bureau-head')
    }
  })
})
