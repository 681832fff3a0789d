import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom as prng } from '../model/ids.js'
import { CSV_IMPORT, CSV_STAGE } from '../model/origins.js'
import { Workbook } from '../model/workbook.js'
import { applyImportPlan, applyImportPlanStaged, type ImportDestination } from './applyImport.js'
import { exportSheetCsv } from './exportSheet.js'
import { planImport } from './importPlan.js'
import { suggestMapping } from './mapping.js'
import { parseCsvText } from './parseCsv.js'

/** A replica that receives A's updates only when `deliver` is called (a slow, reordering link). */
function pair(seed = 3) {
  const a = new Y.Doc()
  a.clientID = 1
  let t = 1_700_000_000_000
  const wb = Workbook.create(a, { title: '台账', random: prng(seed), now: () => t++ })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const served = s.addColumn({ name: '服务人次', type: 'integer' })
  s.insertRows([
    { [name]: '殷行街道社工站', [served]: 1000 },
    { [name]: '朝歌街道社工站', [served]: 583 },
  ])
  const b = new Y.Doc()
  b.clientID = 2
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const wbB = Workbook.open(b, { random: prng(seed + 1) }).workbook
  const queue: { update: Uint8Array; origin: unknown }[] = []
  a.on('update', (update: Uint8Array, origin: unknown) => queue.push({ update, origin }))
  const origins: unknown[] = []
  a.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin))
  return { a, b, wb, wbB, sheetId, s, name, served, queue, origins }
}

function csv(rows: number, from = 0): string {
  const lines = ['站点名称,服务人次,新列']
  for (let i = from; i < from + rows; i++) lines.push(`站点${i},${i},备注${i % 7}`)
  return lines.join('\r\n') + '\r\n'
}

function planFor(wb: Workbook, dest: ImportDestination, text: string) {
  const t = parseCsvText(text)
  if (!t.ok) throw new Error('parse')
  const sheet = 'sheetId' in dest ? wb.sheet(dest.sheetId) : undefined
  const p = planImport(t.table, suggestMapping(t.table, sheet?.columns() ?? []), sheet, {
    mode: 'append',
  })
  if (!p.ok) throw new Error('plan')
  return p.plan
}

/** What any observer can see of a workbook: sheets (live and trash) with their rows and the CSV export. */
function visible(wb: Workbook) {
  return {
    sheets: wb.listSheets().map((s) => s.name),
    trash: wb.deletedSheets().map((s) => s.name),
    rows: wb.listSheets().map((s) => {
      const sh = wb.sheet(s.id)
      return { columns: sh.columns().map((c) => c.name), rows: sh.readRows() }
    }),
  }
}

/** The same doc opened from scratch: the incremental index must equal a rebuild. */
function reopened(doc: Y.Doc) {
  const d = new Y.Doc()
  Y.applyUpdate(d, Y.encodeStateAsUpdate(doc))
  return Workbook.open(d).workbook
}

describe('CSV6 staged import (browser path for big files)', () => {
  it('slices stay invisible to every observer; one CSV_IMPORT transaction publishes; one undo step', async () => {
    const { a, b, wb, wbB, sheetId, name, served, queue, origins } = pair()
    const plan = planFor(wb, { sheetId }, csv(3000))
    const undo = wb.createUndoManager()
    const before = visible(wb)
    const beforeB = visible(wbB)
    const beforeExport = exportSheetCsv(wbB, sheetId).bytes
    let slices = 0
    const r = await applyImportPlanStaged(wb, { sheetId }, plan, {
      minRows: 100,
      sliceRows: 500,
      maxSliceRows: 500, // deterministic slices
      pause: async () => {
        slices++
        // A replica that received the slices so far, and A itself, show nothing new.
        for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
        expect(visible(wbB)).toEqual(beforeB)
        expect(visible(wb)).toEqual(before)
        expect(visible(reopened(b))).toEqual(beforeB)
        expect(exportSheetCsv(wbB, sheetId).bytes).toEqual(beforeExport)
      },
    })
    if (!r.ok) throw new Error(JSON.stringify(r.refusal))
    expect(slices).toBe(6)
    expect(r.report).toMatchObject({ added: 3000, updated: 0, skipped: 0 })
    expect(r.report.columnsCreated.map((c) => c.name)).toEqual(['新列'])
    // Six staged slices outside the undo scope, then the one import transaction.
    expect(origins).toEqual([...Array(6).fill(CSV_STAGE), CSV_IMPORT])
    for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
    const after = visible(wb)
    expect(after.rows[0]!.rows).toHaveLength(3002)
    expect(after.rows[0]!.rows[2]!.cells).toEqual({
      [name]: '站点0',
      [served]: 0,
      [r.report.columnsCreated[0]!.colId]: '备注0',
    })
    expect(visible(wbB)).toEqual(after)
    expect(visible(reopened(a))).toEqual(after)
    expect(r.report.addedRowIds).toEqual(wb.sheet(sheetId).rowIds().slice(2))

    undo.undo()
    for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
    expect(visible(wb)).toEqual(before)
    expect(visible(wbB)).toEqual(before)
    expect(visible(reopened(b))).toEqual(before)
    undo.redo()
    for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
    expect(visible(wb)).toEqual(after)
    expect(visible(wbB)).toEqual(after)
    expect(visible(reopened(b))).toEqual(after)
    expect(undo.undoStack).toHaveLength(1)
  })

  it('a new sheet is in no list (sheets or trash) until the publish, and undo takes it away again', async () => {
    const { wb, wbB, b, queue } = pair()
    const plan = planFor(wb, { newSheetName: '导入' }, csv(1200))
    const undo = wb.createUndoManager()
    const beforeB = visible(wbB)
    const r = await applyImportPlanStaged(wb, { newSheetName: '导入' }, plan, {
      minRows: 100,
      sliceRows: 400,
      maxSliceRows: 400,
      pause: async () => {
        for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
        expect(visible(wbB)).toEqual(beforeB)
        expect(visible(wb)).toEqual(beforeB)
      },
    })
    if (!r.ok) throw new Error('apply')
    for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
    expect(wbB.listSheets().map((s) => s.name)).toEqual(['站点', '导入'])
    expect(wbB.sheet(r.report.sheetId).rowCount()).toBe(1200)
    expect(
      wbB
        .sheet(r.report.sheetId)
        .columns()
        .map((c) => [c.name, c.type]),
    ).toEqual([
      ['站点名称', 'text'],
      ['服务人次', 'integer'],
      ['新列', 'text'],
    ])
    undo.undo()
    for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
    expect(visible(wbB)).toEqual(beforeB)
    expect(visible(wb)).toEqual(beforeB)
    undo.redo()
    expect(wb.sheet(r.report.sheetId).rowCount()).toBe(1200)
  })

  it('the same plan staged or in one transaction lands the same cells', async () => {
    const one = pair(5)
    const two = pair(5)
    const p1 = planFor(one.wb, { sheetId: one.sheetId }, csv(900))
    const p2 = planFor(two.wb, { sheetId: two.sheetId }, csv(900))
    applyImportPlan(one.wb, { sheetId: one.sheetId }, p1)
    await applyImportPlanStaged(two.wb, { sheetId: two.sheetId }, p2, {
      minRows: 1,
      sliceRows: 250,
    })
    const cells = (w: Workbook, id: string) => {
      const s = w.sheet(id)
      const names = new Map(s.columns().map((c) => [c.id, c.name]))
      return s
        .readRows()
        .map((r) => Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [names.get(k), v])))
    }
    expect(cells(two.wb, two.sheetId)).toEqual(cells(one.wb, one.sheetId))
  })

  it('slices grow at most 2x from a fast one; slice sizes do not change the doc', async () => {
    // A clock that says each slice took 1 ms, but the third 400 ms: without the cap the second
    // slice would be 40x the first (the rest of the file in one task).
    const sizes: number[] = []
    const ticks = [1, 1, 400, 1, 1, 1, 1, 1]
    const reference = pair(7)
    applyImportPlan(
      reference.wb,
      { newSheetName: '导入' },
      planFor(reference.wb, { newSheetName: '导入' }, csv(6000)),
    )
    const runs: Workbook[] = []
    for (const clock of ['capped', 'fixed'] as const) {
      const p = pair(7)
      let t = 0
      let slice = 0
      let written = 0
      const r = await applyImportPlanStaged(
        p.wb,
        { newSheetName: '导入' },
        planFor(p.wb, { newSheetName: '导入' }, csv(6000)),
        clock === 'capped'
          ? {
              minRows: 1,
              sliceRows: 500,
              sliceMs: 40,
              // Called twice per slice (start, end): the end reads the slice's duration.
              now: () => {
                const end = t % 2 === 1
                t++
                return end ? t * 1000 + ticks[slice++ % ticks.length]! : (t + 1) * 1000
              },
              onProgress: (w) => {
                sizes.push(w - written)
                written = w
              },
            }
          : { minRows: 1, sliceRows: 777, maxSliceRows: 777 },
      )
      expect(r.ok && r.report.added).toBe(6000)
      runs.push(p.wb)
    }
    for (let i = 1; i < sizes.length - 1; i++)
      expect(sizes[i]!).toBeLessThanOrEqual(2 * sizes[i - 1]!)
    // Doubling from fast slices; the slow third one (400 ms for 2,000 rows) shrinks the next to
    // the floor of 500 rows; then doubling again.
    expect(sizes).toEqual([500, 1000, 2000, 500, 1000, 1000])
    // Row ids are drawn per slice; every sheet's columns and cells in order must be the same.
    const cells = (w: Workbook) =>
      w.listSheets().map((info) => {
        const sh = w.sheet(info.id)
        const cols = sh.columns()
        return [
          info.name,
          cols.map((c) => c.name),
          sh.readRows().map((r) => cols.map((c) => r.cells[c.id])),
        ]
      })
    const want = cells(reference.wb)
    expect(want[1]?.[2]).toHaveLength(6000)
    for (const wb of runs) {
      expect(cells(wb)).toEqual(want)
      expect(cells(reopened(wb.doc))).toEqual(want)
    }
  })

  it('refused before the first slice: the state vector is unchanged; aborted: nothing visible changes', async () => {
    const { a, b, wb, wbB, sheetId, s, served, queue } = pair()
    const plan = planFor(wb, { sheetId }, csv(800))
    const sv = Y.encodeStateVector(a)
    expect((await applyImportPlanStaged(wb, { sheetId: 'missing' }, plan, { minRows: 1 })).ok).toBe(
      false,
    )
    expect(
      (
        await applyImportPlanStaged(
          wb,
          { sheetId },
          { ...plan, needsDecision: true },
          { minRows: 1 },
        )
      ).ok,
    ).toBe(false)
    expect(Y.encodeStateVector(a)).toEqual(sv)
    s.deleteColumn(served)
    const sv2 = Y.encodeStateVector(a)
    expect(await applyImportPlanStaged(wb, { sheetId }, plan, { minRows: 1 })).toMatchObject({
      ok: false,
      refusal: { kind: 'bad-mapping' },
    })
    expect(Y.encodeStateVector(a)).toEqual(sv2)
    s.restoreColumn(served)

    // Stopped between slices (the dialog was torn down): staged rows exist but nothing shows them.
    const before = visible(wb)
    let n = 0
    const r = await applyImportPlanStaged(wb, { sheetId }, plan, {
      minRows: 1,
      sliceRows: 300,
      maxSliceRows: 300,
      aborted: () => n++ >= 2,
    })
    expect(r).toEqual({ ok: false, refusal: { kind: 'cancelled' } })
    for (const q of queue.splice(0)) Y.applyUpdate(b, q.update)
    expect(visible(wb)).toEqual(before)
    expect(visible(wbB)).toEqual(before)
    expect(visible(reopened(a))).toEqual(before)
    expect(wb.sheet(sheetId).getAnyRow(wb.sheet(sheetId).rowIds()[0]!)).toBeDefined()
  })

  it('property: slices, publish, undo and redo delivered in any order with concurrent edits converge', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        async (seed, shuffle) => {
          const { a, b, wb, wbB, sheetId, queue } = pair(seed)
          const plan = planFor(wb, { sheetId }, csv(600))
          const undo = wb.createUndoManager()
          const sB = wbB.sheet(sheetId)
          const colB = sB.columns()[0]!.id
          let k = 0
          await applyImportPlanStaged(wb, { sheetId }, plan, {
            minRows: 1,
            sliceRows: 100,
            maxSliceRows: 100,
            pause: async () => {
              // B edits concurrently (a row, a cell) and receives some of A's updates, out of order.
              sB.insertRows([{ [colB]: `B${k}` }])
              sB.setCell(sB.rowIds()[0]!, colB, `改${k}`)
              const i = shuffle[k++ % shuffle.length]! % (queue.length + 1)
              if (i < queue.length) Y.applyUpdate(b, queue.splice(i, 1)[0]!.update)
              expect(sB.rowCount()).toBe(2 + k)
            },
          })
          if (shuffle[0]! % 2) undo.undo()
          if (shuffle[1]! % 3 === 0) undo.redo()
          for (const q of queue.splice(0).reverse()) Y.applyUpdate(b, q.update)
          Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
          expect(visible(wbB)).toEqual(visible(wb))
          expect(visible(reopened(a))).toEqual(visible(wb))
          expect(visible(reopened(b))).toEqual(visible(wbB))
        },
      ),
      { numRuns: 25 },
    )
  })
})
