import * as XLSX from '@e965/xlsx'
import { addedRow } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import { makeCsvImporter, releasingImporter } from './importClient'
import { type FromWorker, PLAN_CHUNK_VALUES, type ToWorker } from './protocol'
import { createCsvWorkerCore } from './workerCore'

/** A Worker stand-in that runs the real worker core in-process, asynchronously like a worker. */
function fakeWorker(log: { terminated: number }, tap?: (m: FromWorker) => void) {
  const w = {
    onmessage: null as ((e: MessageEvent<FromWorker>) => void) | null,
    onerror: null as ((e: ErrorEvent) => void) | null,
    terminated: false,
    postMessage(msg: ToWorker) {
      void Promise.resolve().then(() => core(msg))
    },
    terminate() {
      w.terminated = true
      log.terminated++
    },
  }
  const core = createCsvWorkerCore((m) => {
    tap?.(m)
    if (!w.terminated) w.onmessage?.({ data: m } as MessageEvent<FromWorker>)
  })
  return w as unknown as Worker
}

const gbk = (s: string) => {
  // 站点名称,人次\r\n殷行,"1,197"\r\n in GBK, as Excel writes it.
  const bytes: number[] = []
  const table: Record<string, number[]> = {
    站: [0xd5, 0xbe],
    点: [0xb5, 0xe3],
    名: [0xc3, 0xfb],
    称: [0xb3, 0xc6],
    人: [0xc8, 0xcb],
    次: [0xb4, 0xce],
    殷: [0xd2, 0xf3],
    行: [0xd0, 0xd0],
  }
  for (const ch of s) bytes.push(...(table[ch] ?? [ch.charCodeAt(0)]))
  return new Uint8Array(bytes)
}

describe('web CSV importer (worker protocol)', () => {
  it('CSV2 reads a GBK file in the worker and returns a summary, preview and suggested mapping', async () => {
    const log = { terminated: 0 }
    const imp = makeCsvImporter(() => fakeWorker(log))
    const file = new Blob([gbk('站点名称,人次\r\n殷行,"1,197"\r\n')])
    const r = await imp.read(
      file,
      { encoding: 'auto', delimiter: 'auto', header: 'auto' },
      [],
      () => {},
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.summary.encoding).toBe('gb18030')
    expect(r.summary.table.header).toEqual(['站点名称', '人次'])
    expect(r.summary.preview).toEqual([['殷行', '1,197']])
    expect(r.summary.mapping.map((m) => m.target)).toEqual([
      { kind: 'new', name: '站点名称', type: 'text' },
      { kind: 'new', name: '人次', type: 'integer' },
    ])
    const p = await imp.plan(r.summary.mapping, [], null, { mode: 'append' })
    expect(p.ok && addedRow(p.plan.adds, 0)).toEqual(['殷行', 1197])
    expect(p.ok && p.plan.adds.count).toBe(1)
    imp.dispose()
    expect(log.terminated).toBe(1)
  })

  it('CSV7 refusals come back as values; cancel terminates the worker and resolves as cancelled', async () => {
    const log = { terminated: 0 }
    const imp = makeCsvImporter(() => fakeWorker(log))
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])])
    expect(
      await imp.read(png, { encoding: 'auto', delimiter: 'auto', header: 'auto' }, [], () => {}),
    ).toEqual({
      ok: false,
      refusal: { kind: 'binary', format: 'png' },
    })
    const big = new Blob(['a,b\r\n', '1,2\r\n'.repeat(200_000)])
    const pending = imp.read(
      big,
      { encoding: 'auto', delimiter: 'auto', header: 'auto' },
      [],
      () => {},
    )
    imp.cancel()
    expect(await pending).toEqual({ ok: false, refusal: { kind: 'cancelled' } })
    expect(log.terminated).toBe(1)
    // The next read starts a fresh worker.
    const again = await imp.read(
      new Blob(['x,y\r\n1,2\r\n']),
      { encoding: 'auto', delimiter: 'auto', header: 'auto' },
      [],
      () => {},
    )
    expect(again.ok).toBe(true)
  })

  it('CSV1 a large plan crosses from the worker in pieces and arrives whole and in order', async () => {
    const log = { terminated: 0 }
    const sizes: number[] = []
    const imp = makeCsvImporter(() =>
      fakeWorker(log, (m) => {
        // What each message carries, as the worker posts them.
        if (m.type === 'plan-column') sizes.push(m.column.values.length)
        if (m.type === 'plan-values') sizes.push(m.values.length)
        if (m.type === 'plan' && m.ok) sizes.push(m.plan.adds.count, m.plan.adds.columns.length)
      }),
    )
    const n = 2 * PLAN_CHUNK_VALUES + 7
    const csv = 'id,name\r\n' + Array.from({ length: n }, (_, i) => `${i},站${i}`).join('\r\n')
    const settings = { encoding: 'auto', delimiter: 'auto', header: 'auto' } as const
    const r = await imp.read(new Blob([csv]), settings, [], () => {})
    if (!r.ok) throw new Error('read')
    const p = await imp.plan(r.summary.mapping, [], null, { mode: 'append' })
    if (!p.ok) throw new Error('plan')
    // id: numbers (one message, transferred); name: one text per row, in pieces.
    expect(p.plan.adds.columns.map((c) => c.kind)).toEqual(['numbers', 'values'])
    expect(sizes).toEqual([n, 0, PLAN_CHUNK_VALUES, PLAN_CHUNK_VALUES, 7, n, 0])
    expect(Array.from({ length: n }, (_, i) => addedRow(p.plan.adds, i)[0])).toEqual(
      Array.from({ length: n }, (_, i) => i),
    )
    expect(p.plan.adds.lines[n - 1]).toBe(n + 1)
    expect(addedRow(p.plan.adds, n - 1)).toEqual([n - 1, `站${n - 1}`])
  })

  it('releases the table and the workbook before an apply; the book stays while worksheets remain', async () => {
    // A two-worksheet .xlsx made by SheetJS's writer (the reader under test is ours).
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        ['站点', '人次'],
        ['殷行', 3],
      ]),
      '一',
    )
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([['名称'], ['长白'], ['五角场']]),
      '二',
    )
    const bytes = new Uint8Array(
      XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer,
    )
    /** Counts whole-file reads: the worker reads the file whole only to open the workbook. */
    class CountingBlob extends Blob {
      opens = 0
      override arrayBuffer() {
        this.opens++
        return super.arrayBuffer()
      }
    }
    const file = new CountingBlob([bytes])
    const imp = makeCsvImporter(() => fakeWorker({ terminated: 0 }))
    const settings = (worksheet: string) =>
      ({
        encoding: 'auto',
        delimiter: 'auto',
        header: 'auto',
        xlsx: { worksheet, includeTotals: false, fillMerged: true },
      }) as const
    const a = await imp.read(file, settings('一'), [], () => {})
    if (!a.ok) throw new Error('read')
    expect((await imp.plan(a.summary.mapping, [], null, { mode: 'append' })).ok).toBe(true)
    expect(file.opens).toBe(1)
    // The table goes, the book stays: planning again needs a read, which does not reopen the file.
    imp.release(true)
    await expect(imp.plan(a.summary.mapping, [], null, { mode: 'append' })).rejects.toThrow(
      'no file read',
    )
    const b = await imp.read(file, settings('二'), [], () => {})
    expect(b.ok && b.summary.table.header).toEqual(['名称'])
    expect(file.opens).toBe(1)
    // Both go: the next read opens the file again, and reads the same.
    imp.release(false)
    const again = await imp.read(file, settings('一'), [], () => {})
    expect(file.opens).toBe(2)
    expect(again).toEqual(a)

    // Several worksheets in a row (importOtherWorksheets): the book is kept until the last is read.
    const file2 = new CountingBlob([bytes])
    const more = releasingImporter(imp, 2)
    for (const name of ['一', '二']) {
      const r = await more.read(file2, settings(name), [], () => {})
      if (!r.ok) throw new Error('read')
      const p = await more.plan(r.summary.mapping, [], null, { mode: 'append' })
      expect(p.ok && p.plan.adds.count).toBe(name === '一' ? 1 : 2)
      await expect(imp.plan(r.summary.mapping, [], null, { mode: 'append' })).rejects.toThrow(
        'no file read',
      )
    }
    expect(file2.opens).toBe(1)
    await imp.read(file2, settings('二'), [], () => {})
    expect(file2.opens).toBe(2)
    imp.dispose()
  })
})
