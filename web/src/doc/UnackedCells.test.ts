import { describe, expect, it } from 'vitest'
import { UnackedCells } from './UnackedCells'

describe('UnackedCells.isUnconfirmed (attestation, issue 13 §4)', () => {
  it('an own edit stays unconfirmed until a durable state vector covers its clock; others’ never are', () => {
    const u = new UnackedCells(null)
    const key = UnackedCells.key('s', 'r', 'c')
    // Client 7 is this device's: its edit at clock 4 ends at clock 5.
    u.mark([key], { client: 7, clock: 5 })
    expect(u.isUnconfirmed(7, 4)).toBe(true)
    // Not acknowledged yet, though the server may hold an earlier receipt of client 7.
    u.acknowledge(new Map([[7, 3]]))
    expect(u.isUnconfirmed(7, 2)).toBe(false)
    expect(u.isUnconfirmed(7, 4)).toBe(true)
    expect(u.has('s', 'r', 'c')).toBe(true)
    u.acknowledge(new Map([[7, 5]]))
    expect(u.isUnconfirmed(7, 4)).toBe(false)
    expect(u.has('s', 'r', 'c')).toBe(false)
    // A later offline edit of the same client is unconfirmed again.
    u.mark([key], { client: 7, clock: 9 })
    expect(u.isUnconfirmed(7, 8)).toBe(true)
    // Another replica's client id reached this device through the server: never this device's to wait for.
    expect(u.isUnconfirmed(9, 0)).toBe(false)
  })
})
