import { describe, expect, it } from 'vitest'
import {
  checkPosition,
  compareIds,
  parseStreamInfo,
  readEntry,
  roomOfKey,
  streamKey,
} from './streams.js'

describe('Redis stream helpers', () => {
  it('compares stream ids numerically, not as text', () => {
    expect(compareIds('10-0', '9-5')).toBe(1)
    expect(compareIds('5-10', '5-9')).toBe(1)
    expect(compareIds('5-1', '5-1')).toBe(0)
    expect(compareIds('0-0', '1-0')).toBe(-1)
  })

  it('names a room stream and reads the room back', () => {
    expect(roomOfKey(streamKey('wb-1_x'))).toBe('wb-1_x')
  })

  it('reads an entry, and refuses one without its data', () => {
    const b = (x: string) => Buffer.from(x)
    expect(readEntry([b('s'), b('A'), b('t'), b('u'), b('d'), Buffer.from([1, 2])])).toEqual({
      from: 'A',
      type: 'u',
      data: new Uint8Array([1, 2]),
    })
    expect(readEntry([b('s'), b('A'), b('t'), b('u')])).toBeNull()
  })

  it('parses XINFO STREAM', () => {
    const reply = ['length', 100, 'last-generated-id', '17-3', 'entries-added', 300, 'groups', 0]
    expect(parseStreamInfo(reply)).toEqual({
      lastGenerated: '17-3',
      entriesAdded: 300,
      length: 100,
    })
  })

  it('finds lost entries: trimmed before they were read, or gone with Redis', () => {
    const info = { lastGenerated: '50-0', entriesAdded: 300, length: 100 } // 200 trimmed
    // Read 250 of 300: the 200 deleted were all read.
    expect(checkPosition({ lastId: '40-0', added: 250 }, info)).toEqual({ lost: false })
    // Read 150: 50 were trimmed unread; read on past our id, counting the deleted ones.
    expect(checkPosition({ lastId: '20-0', added: 150 }, info)).toEqual({
      lost: true,
      next: { lastId: '20-0', added: 200 },
    })
    // Redis went back (lost its last entries): read everything it still has.
    expect(checkPosition({ lastId: '60-0', added: 310 }, info)).toEqual({
      lost: true,
      next: { lastId: '0-0', added: 200 },
    })
    // The stream vanished (expired, flushed) after we had read from it; never existing is fine.
    expect(checkPosition({ lastId: '60-0', added: 310 }, null).lost).toBe(true)
    expect(checkPosition({ lastId: '0-0', added: 0 }, null)).toEqual({ lost: false })
  })
})
