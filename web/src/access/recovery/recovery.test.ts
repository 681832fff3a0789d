import 'fake-indexeddb/auto'
import type { RefusedEdit } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import { refusedCsvText } from './refusedCsv'
import { addRefused, readRefused, refusedList, saveRefused } from './refusedStore'
import { identityFromToken } from './tokenIdentity'

const entry = (id: string, reason: RefusedEdit['reason'], at = 1): RefusedEdit => ({
  id,
  kind: 'cell',
  sheetId: 's',
  rowId: 'r',
  colId: 'c',
  oldValue: 40,
  newValue: 41,
  reason,
  message: { zh: '该期间已锁定', en: 'this period is locked' },
  at,
})

/** A token shaped like the server's: base64url JSON payload . signature. */
function token(claims: Record<string, unknown>): string {
  const bytes = new TextEncoder().encode(JSON.stringify(claims))
  const b64 = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
  return `${b64}.c2ln`
}

describe('access recovery: the refused list in IndexedDB', () => {
  it('keeps entries across reads, replaces an entry of the same place, and empties', async () => {
    await addRefused('wb1', [entry('a', 'period-locked'), entry('b', 'row-not-in-scope')])
    await addRefused('wb1', [entry('a', 'row-not-in-scope', 2)])
    const stored = await readRefused('wb1')
    expect(stored.map((e) => [e.id, e.reason, e.at])).toEqual([
      ['a', 'row-not-in-scope', 2],
      ['b', 'row-not-in-scope', 1],
    ])
    expect(refusedList('wb1')().map((e) => e.id)).toEqual(['a', 'b'])
    expect(await readRefused('other')).toEqual([])
    await saveRefused('wb1', [])
    expect(await readRefused('wb1')).toEqual([])
  })
})

describe('access recovery: who the token says we are', () => {
  it('reads role, scope, name and user id; a bad scope is dropped; no token is an editor', () => {
    expect(
      identityFromToken(
        token({ r: 'scoped-editor', n: '朝歌站', u: 'u1', s: { station: '朝歌街道社工站' } }),
        'x',
      ),
    ).toEqual({
      role: 'scoped-editor',
      name: '朝歌站',
      userId: 'u1',
      scope: { station: '朝歌街道社工站' },
    })
    expect(identityFromToken(token({ r: 'viewer', n: 'v', s: { station: 'x' } }), 'x')).toEqual({
      role: 'viewer',
      name: 'v',
    })
    expect(identityFromToken(null, '王芳')).toEqual({ role: 'editor', name: '王芳' })
    expect(identityFromToken('garbage', '王芳')).toEqual({ role: 'editor', name: '王芳' })
  })
})

describe('access recovery: 导出 CSV', () => {
  it('writes the header and one line per entry, formula-like text neutralised', () => {
    const text = refusedCsvText([
      {
        e: entry('a', 'period-locked'),
        text: {
          sheet: '指标',
          row: '第 1 行',
          column: '服务人次',
          old: '40',
          new: '=1+1',
          why: '该期间已锁定',
        },
      },
    ])
    const lines = text.trim().split('\r\n')
    expect(lines[0]).toBe('表,行,列,服务器上的值,你的修改,原因,时间')
    expect(lines[1]?.startsWith("指标,第 1 行,服务人次,40,'=1+1,该期间已锁定,")).toBe(true)
  })
})
