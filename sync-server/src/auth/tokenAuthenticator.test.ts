import { describe, expect, it } from 'vitest'
import { createTokenAuthenticator } from './tokenAuthenticator.js'
import { signToken } from './tokens.js'

const SECRET = 'a-test-secret-of-reasonable-length'
const NOW = 1_800_000_000_000

describe('token authenticator', () => {
  const auth = createTokenAuthenticator({ secret: SECRET, now: () => NOW, devAnonymous: false })
  const token = (workbook: string, role: 'editor' | 'viewer', expiresAt = NOW + 1000) =>
    signToken(SECRET, { workbook, role, name: '王五', expiresAt })

  it('admits a valid token for its workbook or for every workbook (*)', () => {
    expect(auth.authorize(token('w1', 'viewer'), 'w1')).toEqual({
      ok: true,
      identity: { role: 'viewer', name: '王五', user: '王五' },
    })
    expect(auth.authorize(token('*', 'editor'), 'w2')).toMatchObject({ ok: true })
  })

  it('refuses missing, forged and expired tokens with 401 and other workbooks with 403', () => {
    expect(auth.authorize(null, 'w1')).toMatchObject({ ok: false, status: 401 })
    expect(auth.authorize(`${token('w1', 'editor')}x`, 'w1')).toMatchObject({
      ok: false,
      status: 401,
    })
    expect(auth.authorize(token('w1', 'editor', NOW - 1), 'w1')).toMatchObject({
      ok: false,
      status: 401,
    })
    expect(auth.authorize(token('w1', 'editor'), 'w2')).toMatchObject({
      ok: false,
      status: 403,
      metric: 'token-wrong-workbook',
    })
  })

  it('lets anyone in without a token only in dev-anonymous mode', () => {
    const dev = createTokenAuthenticator({ secret: SECRET, now: () => NOW, devAnonymous: true })
    expect(dev.authorize(null, 'w1')).toEqual({
      ok: true,
      identity: { role: 'editor', name: 'anonymous', user: 'anonymous' },
    })
    expect(dev.authorize('garbage', 'w1')).toMatchObject({ ok: false, status: 401 })
  })
})
