import { describe, expect, it } from 'vitest'
import { computeConnectionState, countPending, type StatusInputs } from './syncStatus'

const base: StatusInputs = {
  online: true,
  socket: 'connected',
  synced: true,
  unauthorized: false,
  pending: 0,
  ackedThisConnection: true,
}

describe('status badge state', () => {
  it('is 已同步 only when connected, synced, acknowledged and nothing pending', () => {
    expect(computeConnectionState(base)).toBe('synced')
    expect(computeConnectionState({ ...base, pending: 3 })).toBe('syncing')
    expect(computeConnectionState({ ...base, ackedThisConnection: false })).toBe('syncing')
    expect(computeConnectionState({ ...base, synced: false })).toBe('syncing')
  })
  it('is 离线 when the browser is offline or the socket is down, 连接中 while connecting', () => {
    expect(computeConnectionState({ ...base, online: false })).toBe('offline')
    expect(computeConnectionState({ ...base, socket: 'disconnected' })).toBe('offline')
    expect(computeConnectionState({ ...base, socket: 'connecting' })).toBe('connecting')
  })
  it('reports a refused token above everything else', () => {
    expect(computeConnectionState({ ...base, online: false, unauthorized: true })).toBe(
      'unauthorized',
    )
  })
})

describe('pending changes from state vectors', () => {
  it('counts only this device’s clients ahead of the durable vector', () => {
    const local = new Map([
      [1, 10],
      [2, 5],
      [3, 7],
    ])
    const durable = new Map([
      [1, 4],
      [3, 7],
    ])
    expect(countPending(local, durable, [1, 3])).toBe(6)
    expect(countPending(local, durable, [2])).toBe(5)
    expect(countPending(local, null, [1])).toBe(10)
    expect(countPending(local, new Map([[1, 10]]), [1])).toBe(0)
  })
})
