import { describe, expect, it } from 'vitest'
import { coversWorkbook, shareUrl, signToken, verifyToken } from './tokens.js'

const now = 1_700_000_000_000
const claims = { workbook: 'wb1', role: 'editor' as const, name: '张三', expiresAt: now + 1000 }

describe('tokens', () => {
  it('round-trips claims, including non-ASCII names', () => {
    const t = signToken('s3cret', claims)
    expect(verifyToken('s3cret', t, now)).toEqual({ ok: true, claims })
  })
  it('rejects forged, tampered, expired, malformed and missing tokens', () => {
    const t = signToken('s3cret', claims)
    expect(verifyToken('other', t, now)).toMatchObject({ ok: false, reason: 'bad-signature' })
    const [p, body, sig] = t.split('.')
    const forgedBody = Buffer.from(
      JSON.stringify({ w: '*', r: 'editor', n: 'x', e: now + 9e9 }),
    ).toString('base64url')
    expect(verifyToken('s3cret', `${p}.${forgedBody}.${sig}`, now)).toMatchObject({ ok: false })
    expect(verifyToken('s3cret', `${p}.${body}.${sig}`, now + 1000)).toMatchObject({
      ok: false,
      reason: 'expired',
    })
    expect(verifyToken('s3cret', 'garbage', now)).toMatchObject({ ok: false, reason: 'malformed' })
    expect(verifyToken('s3cret', undefined, now)).toMatchObject({ ok: false, reason: 'missing' })
  })
  it('carries a stable user id (u) when given, and none for older tokens', () => {
    const withUser = { ...claims, user: 'u-zhang-01' }
    expect(verifyToken('s3cret', signToken('s3cret', withUser), now)).toEqual({
      ok: true,
      claims: withUser,
    })
    const noUser = verifyToken('s3cret', signToken('s3cret', claims), now)
    expect(noUser.ok && 'user' in noUser.claims).toBe(false)
  })
  it('covers one workbook or all', () => {
    expect(coversWorkbook(claims, 'wb1')).toBe(true)
    expect(coversWorkbook(claims, 'wb2')).toBe(false)
    expect(coversWorkbook({ ...claims, workbook: '*' }, 'wb2')).toBe(true)
  })
  it('puts the token in the fragment', () => {
    expect(shareUrl('http://h:1/', 'wb1', 'a.b.c')).toBe('http://h:1/#/w/wb1?token=a.b.c')
    expect(shareUrl('http://h:1', '*', 'a.b.c')).toBe('http://h:1/#/?token=a.b.c')
  })
})
