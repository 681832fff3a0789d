import { describe, expect, it } from 'vitest'
import { signToken, verifyToken } from '../auth/tokens.js'

const now = 1_700_000_000_000
const base = { workbook: 'wb1', name: '朝歌站', expiresAt: now + 1000 }

describe('tokens carry roles and scopes (issue 16)', () => {
  it('round-trips a station or district scope; old editor/viewer tokens stay valid', () => {
    for (const scope of [{ station: '朝歌街道社工站' }, { district: '杨浦区' }]) {
      const claims = { ...base, role: 'scoped-editor' as const, scope }
      expect(verifyToken('s', signToken('s', claims), now)).toEqual({ ok: true, claims })
    }
    for (const role of ['owner', 'approver', 'editor', 'viewer'] as const) {
      expect(verifyToken('s', signToken('s', { ...base, role }), now)).toEqual({
        ok: true,
        claims: { ...base, role },
      })
    }
  })

  it('a scope that does not fit the role is bad-scope even when signed; an edited one is forged', () => {
    const viewer = signToken('s', { ...base, role: 'viewer', scope: { station: 'x' } })
    expect(verifyToken('s', viewer, now)).toEqual({ ok: false, reason: 'bad-scope' })
    const noScope = signToken('s', { ...base, role: 'scoped-editor' })
    expect(verifyToken('s', noScope, now)).toEqual({ ok: false, reason: 'bad-scope' })
    const good = signToken('s', { ...base, role: 'scoped-editor', scope: { station: 'a' } })
    const [p, body, sig] = good.split('.') as [string, string, string]
    const edited = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(body, 'base64url').toString()),
        s: { district: 'b' },
      }),
    ).toString('base64url')
    expect(verifyToken('s', `${p}.${edited}.${sig}`, now)).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
  })
})
