/**
 * The policy and admission tests' fixture (policy.test.ts, warm.test.ts, room/admission.test.ts):
 * the owner's (局长) monthly ledger of stations 朝歌 and 桥盟, rows 朝歌 June 1, 朝歌 July 2, 桥盟 July 3, with June locked by 审核员.
 * Test-only.
 */
import { setPeriodLock } from '@taizhang/shared'
import { buildLedger } from '@taizhang/shared/testing'
import type * as Y from 'yjs'

export function lockedJuneLedger(doc: Y.Doc, opts: { title?: string; lockedAt: number }) {
  const l = buildLedger({
    doc,
    ...(opts.title === undefined ? {} : { title: opts.title }),
    author: { id: 'o', name: '局长' },
    stations: [{ name: '朝歌街道社工站' }, { name: '桥盟街道社工站' }],
    rows: [
      [0, '2024-06', 1],
      [0, '2024-07', 2],
      [1, '2024-07', 3],
    ],
  })
  setPeriodLock(l.wb, l.m.id, '2024-06', { locked: true, by: '审核员', at: opts.lockedAt })
  return l
}
