import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { attestBindingKey, attestReceiptKey, ROOT_ATTEST, readAttestation } from './attestation.js'

describe('readAttestation', () => {
  it("answers an edit's author from the latest receipt at or before its clock: attested, relayed or pending", () => {
    const doc = new Y.Doc()
    const m = doc.getMap<unknown>(ROOT_ATTEST)
    m.set(attestBindingKey(7), { kind: 'user', user: 'u-a', name: '甲', at: 100 })
    m.set(attestReceiptKey(7, 0), { at: 100 })
    m.set(attestReceiptKey(7, 10), { at: 200 })
    m.set(attestReceiptKey(7, 20), { at: 300, via: 'u-b' })
    m.set(attestBindingKey(9), { kind: 'server', at: 1, sig: 'x' })
    m.set('c-garbage', { kind: 'user' }) // ignored, not a crash
    const a = readAttestation(doc)
    expect(a.authorOf(7, 5)).toEqual({
      status: 'attested',
      user: 'u-a',
      name: '甲',
      receivedAt: 100,
    })
    expect(a.authorOf(7, 10)).toMatchObject({ status: 'attested', receivedAt: 200 })
    expect(a.authorOf(7, 25)).toEqual({ status: 'relayed', via: 'u-b', receivedAt: 300 })
    expect(a.authorOf(8, 0)).toEqual({ status: 'pending' })
    expect(a.binding(9)).toMatchObject({ kind: 'server' })
    // A receipt with no user binding (a relayed unbound id) is relayed, never attested.
    m.set(attestReceiptKey(11, 0), { at: 5, via: 'u-c' })
    expect(readAttestation(doc).authorOf(11, 3)).toEqual({
      status: 'relayed',
      via: 'u-c',
      receivedAt: 5,
    })
  })
})
