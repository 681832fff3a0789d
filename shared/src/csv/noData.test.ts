import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { applyImportPlan } from './applyImport.js'
import { exportSheetCsv } from './exportSheet.js'
import { planImport } from './importPlan.js'
import { suggestMapping } from './mapping.js'
import { isNoDataMarker } from './noData.js'
import { parseCsvText } from './parseCsv.js'

function book() {
  const doc = new Y.Doc()
  doc.clientID = 3
  const wb = Workbook.create(doc, { title: '无数据', now: () => 1_700_000_000_000 })
  const sheetId = wb.addSheet('月报')
  return { wb, sheetId, sheet: wb.sheet(sheetId) }
}

const CSV = [
  '站点名称,服务人次,覆盖率,投入资金,备注',
  '殷行街道社工站,1197,63.7%,276万元,—',
  '朝歌街道社工站,—,/,－,',
  '桥盟街道社工站,-,－,/,-',
  '灵山街道社工站,48,—,—,',
  '',
].join('\r\n')

describe('CSV12 no-data markers', () => {
  it('recognises exactly the markers, spaces aside', () => {
    for (const m of ['—', '/', '-', '－', '——', ' — ']) expect(isNoDataMarker(m)).toBe(true)
    for (const m of ['', '0', '--1', '无数据', 'n/a', '-5', 5, null])
      expect(isNoDataMarker(m)).toBe(false)
  })

  it('CSV12 keeps markers in numeric columns as written, counts them, and writes them back unchanged', () => {
    const { wb, sheetId, sheet } = book()
    const parsed = parseCsvText(CSV)
    if (!parsed.ok) throw new Error('parse')
    const mapping = suggestMapping(parsed.table, [])
    // Inference ignores the markers: the figure columns are still typed.
    expect(mapping.map((m) => (m.target.kind === 'new' ? m.target.type : m.target.kind))).toEqual([
      'text',
      'integer',
      'percent',
      'money',
      'text',
    ])
    const planned = planImport(parsed.table, mapping, undefined, { mode: 'append' })
    if (!planned.ok) throw new Error('plan')
    const plan = planned.plan
    // Six markers in figure columns; the 备注 text column's `—` and `-` are plain text, not counted.
    expect(plan.noData.count).toBe(8)
    expect(plan.misfits).toEqual([])
    expect(plan.needsDecision).toBe(false)
    expect(plan.noData.examples[0]).toEqual({ line: 3, column: '服务人次', input: '—' })
    const applied = applyImportPlan(wb, { sheetId }, plan)
    expect(applied.ok).toBe(true)
    const cols = sheet.columns()
    const rows = sheet.readRows().map((r) => cols.map((c) => r.cells[c.id] ?? null))
    expect(rows).toEqual([
      ['殷行街道社工站', 1197, 0.637, 276, '—'],
      ['朝歌街道社工站', '—', '/', '－', null],
      ['桥盟街道社工站', '-', '－', '/', '-'],
      ['灵山街道社工站', 48, '—', '—', null],
    ])
    // Never zero, never blank: the export writes each marker exactly as the file had it.
    const out = new TextDecoder().decode(exportSheetCsv(wb, sheetId, { bom: false }).bytes)
    const lines = out.split('\r\n')
    expect(lines[2]).toBe('朝歌街道社工站,—,/,－,')
    expect(lines[3]).toBe("桥盟街道社工站,-,－,/,'-")
    expect(lines[4]).toBe('灵山街道社工站,48,—,—,')
  })

  it('CSV12 a marker our export neutralised in a text column reads back as the marker', () => {
    const parsed = parseCsvText("a,b\n1,'-\n2,3\n")
    if (!parsed.ok) throw new Error('parse')
    const planned = planImport(
      parsed.table,
      [
        { source: 0, target: { kind: 'new', name: 'a', type: 'integer' } },
        { source: 1, target: { kind: 'new', name: 'b', type: 'integer' } },
      ],
      undefined,
      { mode: 'append' },
    )
    if (!planned.ok) throw new Error('plan')
    expect(planned.plan.noData.count).toBe(1)
  })
})
