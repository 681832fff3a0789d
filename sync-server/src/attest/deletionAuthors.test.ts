import { createRemovalLookup, type EditAttestation, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import { synced, waitFor } from '../test/helpers.js'
import { attestHarness } from './testClients.js'

/**
 * Who deleted a column or a sheet, against the real server and real y-websocket clients (issue 13
 * §2 trash "with who and when", §4 "the name from the token, not a self-chosen one").
 */
const { server, client } = attestHarness()

const nameOf = (a: EditAttestation) => (a.status === 'attested' ? a.name : null)

describe('S8 attestation of deletions (issue 13 §4)', () => {
  it('a forged display name deleting a column and a sheet: the trash names the token user (张三)', async () => {
    const s = await server()
    const zhang = client(s, 'u-zhang', '张三')
    const li = client(s, 'u-li', '李四')
    await Promise.all([synced(zhang), synced(li)])
    // The client calls itself 局长, in presence and in the names the model stamps on its writes.
    zhang.provider.awareness.setLocalStateField('user', { name: '局长' })
    const wb = Workbook.create(zhang.doc, { title: '台账', author: { id: 'x', name: '局长' } })
    const keep = wb.addSheet('站点')
    const old = wb.addSheet('旧表')
    const sheet = wb.sheet(keep)
    const col = sheet.addColumn({ name: '服务人次', type: 'integer' })
    sheet.addColumn({ name: '站点', type: 'text' })
    sheet.insertRows([{ [col]: 12 }])
    sheet.deleteColumn(col)
    wb.deleteSheet(old)

    const seen = Workbook.open(li.doc, { author: { id: 'u-li', name: '李四' } }).workbook
    await waitFor(
      () => seen.hasSheet(old) && seen.deletedSheets().length === 1,
      'the deletions reach 李四',
    )
    await waitFor(() => {
      const who = createRemovalLookup(li.doc)
      return who.column(keep, col, 0).status !== 'pending' && who.sheet(old, 0).status !== 'pending'
    }, 'the server attests both deletions')

    const trash = seen.history.trash()
    const who = createRemovalLookup(li.doc)
    expect(trash.sheets.map((t) => [t.id, t.by])).toEqual([[old, '局长']])
    const cols = trash.bySheet.find((g) => g.sheetId === keep)?.columns ?? []
    expect(cols.map((c) => [c.id, c.by])).toEqual([[col, '局长']])
    // What the trash shows: the token's name, not the self-chosen one.
    expect(nameOf(who.sheet(old, trash.sheets[0]!.at))).toBe('张三')
    expect(nameOf(who.column(keep, col, cols[0]!.at))).toBe('张三')
    expect(who.column(keep, col, 0)).toMatchObject({ status: 'attested', user: 'u-zhang' })
    // The deleter's own replica reads the same records.
    await waitFor(
      () => nameOf(createRemovalLookup(zhang.doc).column(keep, col, 0)) === '张三',
      'attested at 张三 too',
    )
    // Restored by 李四: no deletion record is left to name anyone.
    seen.restoreSheet(old)
    seen.sheet(keep).restoreColumn(col)
    expect(createRemovalLookup(li.doc).sheet(old, 0)).toEqual({ status: 'pending', at: 0 })
    expect(createRemovalLookup(li.doc).column(keep, col, 0)).toEqual({ status: 'pending', at: 0 })
  })
})
