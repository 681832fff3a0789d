/** The access benches' seed ledger (issue 16 §2). */
import { saveCompletenessSettings, setPeriodLock, Workbook } from '../../shared/src/index.js'
import { Y } from '../layout/deps.js'

/** The seed: 20 stations × 12 months, January locked; returns the doc and the row ids per station. */
export function seedLedger() {
  const doc = new Y.Doc()
  const wb = Workbook.create(doc, { title: '月报', author: { id: 'o', name: '局长' } })
  const st = wb.sheet(wb.addSheet('站点'))
  const name = st.addColumn({ name: '站点名称', type: 'text' })
  const stations = st.insertRows(Array.from({ length: 20 }, (_, i) => ({ [name]: `第${i}站` })))
  const m = wb.sheet(wb.addSheet('指标'))
  const station = m.addColumn({
    name: '站点',
    type: 'reference',
    format: { refSheet: st.id, refColumn: name },
  })
  const period = m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } })
  const served = m.addColumn({ name: '服务人次', type: 'integer' })
  const rows: Record<string, string> = {}
  for (let month = 2; month <= 12; month++) {
    const ids = m.insertRows(
      stations.map((s) => ({ [station]: s, [period]: `2024-${String(month).padStart(2, '0')}` })),
    )
    if (month === 7)
      ids.forEach((id, i) => {
        rows[`第${i}站`] = id
      })
  }
  saveCompletenessSettings(wb, {
    sheetId: m.id,
    stationColumn: station,
    periodColumn: period,
    granularity: 'month',
    required: [served],
    from: '2024-01',
    to: '2024-12',
  })
  setPeriodLock(wb, m.id, '2024-01', { locked: true, by: '审核员', at: 1 })
  return { state: Y.encodeStateAsUpdate(doc), sheetId: m.id, served, row0: rows['第0站'] ?? '' }
}
