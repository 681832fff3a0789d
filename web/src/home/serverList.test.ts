import { describe, expect, it } from 'vitest'
import type { WorkbookEntry } from '../app/registry'
import { mergeWorkbookLists, type ServerAnswer, type ServerWorkbook } from './serverList'

const entry = (id: string, lastOpened: number, extra: Partial<WorkbookEntry> = {}) => ({
  id,
  title: `本地${id}`,
  createdAt: 1,
  lastOpened,
  ...extra,
})
const remote = (id: string, updatedAt: number, role: 'editor' | 'viewer' = 'editor') =>
  ({ id, title: `服务器${id}`, createdAt: 1, updatedAt, role, token: 't' }) as ServerWorkbook

describe('mergeWorkbookLists', () => {
  it('marks each workbook as on both, only on this device, or only on the server', () => {
    const server: ServerAnswer = {
      workbooks: [remote('a', 5), remote('s1', 10), remote('s2', 20, 'viewer')],
      covers: () => true,
    }
    const rows = mergeWorkbookLists([entry('a', 100), entry('d', 200)], server)
    expect(rows.map((r) => [r.id, r.where, r.title, r.role])).toEqual([
      ['d', 'device', '本地d', 'editor'],
      ['a', 'both', '本地a', 'editor'],
      ['s2', 'server', '服务器s2', 'viewer'],
      ['s1', 'server', '服务器s1', 'editor'],
    ])
  })

  it('marks nothing as device-only when the server was not reached or did not answer for it', () => {
    expect(mergeWorkbookLists([entry('a', 1)], null).map((r) => r.where)).toEqual(['unknown'])
    const partial: ServerAnswer = { workbooks: [remote('b', 1)], covers: (id) => id === 'b' }
    expect(
      mergeWorkbookLists([entry('a', 2), entry('b', 1)], partial).map((r) => [r.id, r.where]),
    ).toEqual([
      ['a', 'unknown'],
      ['b', 'both'],
    ])
  })

  it('takes the server’s title for a local entry that has none yet', () => {
    const rows = mergeWorkbookLists([entry('a', 1, { title: '' })], {
      workbooks: [remote('a', 1)],
      covers: () => true,
    })
    expect(rows[0]?.title).toBe('服务器a')
  })
})
