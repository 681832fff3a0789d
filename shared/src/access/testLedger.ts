/** Test fixture: a stations sheet and a monthly periodic sheet keyed by station and period. */
import * as Y from 'yjs'
import { saveCompletenessSettings } from '../completeness/completeness.js'
import { Workbook } from '../model/workbook.js'

export function ledger() {
  const wb = Workbook.create(new Y.Doc(), { title: 't', author: { id: 'u1', name: '王芳' } })
  const st = wb.sheet(wb.addSheet('站点'))
  const name = st.addColumn({ name: '站点名称', type: 'text' })
  const district = st.addColumn({ name: '区县', type: 'text' })
  const [a, b, c] = st.insertRows([
    { [name]: '朝歌街道社工站', [district]: '淇县' },
    { [name]: '桥盟街道社工站', [district]: '淇县' },
    { [name]: '殷行街道社工站', [district]: '杨浦区' },
  ]) as [string, string, string]
  const m = wb.sheet(wb.addSheet('指标'))
  const station = m.addColumn({
    name: '站点',
    type: 'reference',
    format: { refSheet: st.id, refColumn: name },
  })
  const period = m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } })
  const served = m.addColumn({ name: '服务人次', type: 'integer' })
  const note = m.addColumn({ name: '备注', type: 'text' })
  const [ra6, ra7, rb7, rc7] = m.insertRows([
    { [station]: a, [period]: '2024-06', [served]: 40 },
    { [station]: a, [period]: '2024-07', [served]: 3 },
    { [station]: b, [period]: '2024-07', [served]: 5 },
    { [station]: c, [period]: '2024-07', [served]: 9 },
  ]) as [string, string, string, string]
  saveCompletenessSettings(wb, {
    sheetId: m.id,
    stationColumn: station,
    periodColumn: period,
    granularity: 'month',
    required: [served],
    from: '2024-06',
    to: '2024-07',
    districtColumn: district,
  })
  return {
    wb,
    m,
    st,
    stations: { a, b, c },
    rows: { ra6, ra7, rb7, rc7 },
    cols: { station, period, served, note },
  }
}
