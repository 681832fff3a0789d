import 'fake-indexeddb/auto'
import { createDemoWorkbook } from '@taizhang/shared'
import { createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { deleteLocalDoc } from './IdbPersistence'
import { openWorkbook } from './openWorkbook'

const identity = { id: 'u1', name: '测试', color: '#2563eb' }

describe('openWorkbook (local only)', () => {
  it('creates, persists, reopens from IndexedDB, and tracks unacknowledged cells', async () => {
    const workbookId = `wb-${Date.now()}`
    await createRoot(async (dispose) => {
      const s = await openWorkbook({
        workbookId,
        identity,
        connect: false,
        storage: null,
        makeWorker: () => null,
        create: { title: '示例', fill: (wb) => createDemoWorkbook(wb) },
      })
      expect(s.workbook.listSheets().map((x) => x.name)).toEqual(['站点', '指标', '地区'])
      const sheet = s.workbook.sheet(s.workbook.listSheets()[0]!.id)
      const row = sheet.rowIds()[0]!
      const col = sheet.columns()[1]!.id
      sheet.setCell(row, col, '改过')
      expect(s.unacked.has(sheet.id, row, col)).toBe(true)
      expect(s.pending()).toBeGreaterThan(0)
      expect(s.connection()).toBe('offline')
      await s.flushLocal()
      expect(s.localSave().state).toBe('saved')
      await s.destroy()

      const again = await openWorkbook({
        workbookId,
        identity,
        connect: false,
        storage: null,
        makeWorker: () => null,
      })
      expect(again.workbook.meta().title).toBe('示例')
      expect(again.workbook.sheet(sheet.id).getCell(row, col)).toBe('改过')
      expect(again.loaded.corrupt).toBe(0)
      await again.destroy()
      dispose()
    })
    await deleteLocalDoc(workbookId)
  })
})
