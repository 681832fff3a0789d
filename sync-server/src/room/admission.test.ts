import { classifyUpdate, type ParsedUpdate, Workbook } from '@taizhang/shared'
import * as decoding from 'lib0/decoding'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Attester } from '../attest/Attester.js'
import { checkUpdate } from '../attest/checkUpdate.js'
import { createMetrics } from '../metrics.js'
import { createAccessPolicy } from '../policy/AccessPolicy.js'
import { lockedJuneLedger } from '../policy/testLedger.js'
import { admit, parseIncoming, type Sender } from './admission.js'

/**
 * Admission decodes each update once (access-perf, issue 16 §2): the room's parse, the policy and
 * the attester share one `ParsedUpdate`. These tests hold the shared path to the answers of the
 * bytes path (each check decoding on its own), for allowed and refused updates alike.
 */

const NOW = Date.UTC(2024, 7, 1)

/** The server's doc: two stations' monthly rows, June locked. */
function serverDoc() {
  const doc = new Y.Doc({ gc: false })
  const { m, cols, rowIds } = lockedJuneLedger(doc, { title: '月报', lockedAt: 1 })
  const [a6, a7, b7] = rowIds as [string, string, string]
  return { doc, sheetId: m.id, served: cols.served, rows: { a6, a7, b7 } }
}

/** One update made on a replica of `doc` by `edit` (the clerk's client). */
function updateFrom(doc: Y.Doc, edit: (wb: Workbook) => void): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(replica)
  edit(Workbook.open(replica, { author: { id: 'c', name: '朝歌站' } }).workbook)
  return Y.encodeStateAsUpdate(replica, before)
}

const clerk = {
  role: 'scoped-editor' as const,
  name: '朝歌站',
  scope: { station: '朝歌街道社工站' },
}

function sender(): Sender & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = []
  return {
    id: 1,
    ...clerk,
    user: 'u-clerk',
    clientIds: new Set<number>(),
    sent,
    send: (m: Uint8Array) => sent.push(m),
  }
}

describe('update admission: one decode shared by the room, the policy and the attester', () => {
  it('parseIncoming decodes a small update once and keeps it; streams a large one; refuses garbage', () => {
    const s = serverDoc()
    const small = updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.rows.a7, s.served, 9))
    const p = parseIncoming(small)
    expect(p?.isDecoded).toBe(true)
    expect(p?.decoded).toBe(p?.decoded) // the same objects every time: no second decode
    expect(p?.decoded.structs.length).toBe(Y.decodeUpdate(small).structs.length)

    const large = updateFrom(s.doc, (wb) =>
      wb
        .sheet(s.sheetId)
        .insertRows(Array.from({ length: 400 }, (_, i) => ({ [s.served]: 1000 + i }))),
    )
    expect(large.length).toBeGreaterThan(4096)
    const q = parseIncoming(large)
    expect(q?.isDecoded).toBe(false) // validated by streaming; decoded only if a check reads it
    expect(q?.decoded.structs.length).toBe(Y.decodeUpdate(large).structs.length)

    expect(parseIncoming(new Uint8Array([1, 2, 3, 250, 250, 250]))).toBeNull()
  })

  it('the policy, the classifier and the attester answer the same from the parse as from the bytes', () => {
    const s = serverDoc()
    const updates = {
      ownRow: updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.rows.a7, s.served, 9)),
      otherStation: updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.rows.b7, s.served, 9)),
      lockedMonth: updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.rows.a6, s.served, 9)),
      structure: updateFrom(s.doc, (wb) =>
        wb.sheet(s.sheetId).addColumn({ name: '备注', type: 'text' }),
      ),
    }
    const policy = createAccessPolicy(() => NOW)
    const wb = Workbook.open(s.doc).workbook
    const verdicts: Record<string, unknown> = {}
    for (const [what, bytes] of Object.entries(updates)) {
      const parsed = parseIncoming(bytes) as ParsedUpdate
      const viaBytes = policy.check(s.doc, bytes, clerk)
      expect(policy.check(s.doc, parsed, clerk)).toEqual(viaBytes)
      expect(classifyUpdate(wb, parsed)).toEqual(classifyUpdate(wb, bytes))
      const verify = () => false
      expect(
        checkUpdate(s.doc, parsed, { user: 'u', name: 'n' }, 'live', new Set(), verify),
      ).toEqual(checkUpdate(s.doc, bytes, { user: 'u', name: 'n' }, 'live', new Set(), verify))
      verdicts[what] = viaBytes.ok ? 'ok' : viaBytes.refused.map((r) => r.reason)
    }
    // The four cases do differ (the equality above is not between four identical answers).
    expect(verdicts).toEqual({
      ownRow: 'ok',
      otherStation: ['row-not-in-scope'],
      lockedMonth: ['period-locked'],
      structure: ['structure-owner-only'],
    })
  })

  it('admit: an allowed update passes with its attestation plan; a refused one is counted and answered', () => {
    const s = serverDoc()
    const deps = {
      log: pino({ level: 'silent' }),
      metrics: createMetrics(),
      policy: createAccessPolicy(() => NOW),
      attester: new Attester('admission-test-secret-0123456789', () => NOW),
    }
    const ok = updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.rows.a7, s.served, 9))
    const parsed = parseIncoming(ok) as ParsedUpdate
    const a = admit(deps, 'wb', s.doc, { parsed, mode: 'live' }, sender())
    expect(a.ok).toBe(true)
    if (!a.ok || !a.attest) throw new Error('expected an attestation plan')
    const client = Y.decodeUpdate(ok).structs[0]!.id.client
    expect(a.attest.plan.bind).toEqual([client])

    const peer = sender()
    const refused = updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.rows.b7, s.served, 9))
    const r = admit(
      deps,
      'wb',
      s.doc,
      { parsed: parseIncoming(refused) as ParsedUpdate, mode: 'live' },
      peer,
    )
    expect(r).toEqual({ ok: false, result: 'access-refused' })
    expect(deps.metrics.rejected.get('access-row-not-in-scope')).toBe(1)
    expect(peer.sent).toHaveLength(1)
    const dec = decoding.createDecoder(peer.sent[0]!)
    decoding.readVarUint(dec)
    expect(JSON.parse(decoding.readVarString(dec))).toMatchObject({
      count: 1,
      refused: [{ reason: 'row-not-in-scope' }],
    })
  })
})
