/**
 * Test fixture: a stations sheet and a monthly periodic sheet keyed by station and period, with
 * completeness settings over 2024-06…2024-07. Test-only: not exported from the package's index;
 * web and sync-server tests import it as `@taizhang/shared/testing`.
 */
import * as Y from 'yjs'
import { saveCompletenessSettings } from '../completeness/completeness.js'
import type { Sheet } from '../model/sheet.js'
import { Workbook } from '../model/workbook.js'

export interface LedgerSpec {
  /** The doc to build in (a client's, connected to a server); a new one when absent. */
  doc?: Y.Doc
  /** Default `t`. */
  title?: string
  /** Default 王芳 (`u1`). */
  author?: { id: string; name: string }
  /** Station names, in the stations sheet's order; with a district, the sheet has a 区县 column. */
  stations: { name: string; district?: string }[]
  /** The 指标 sheet's rows: [index into `stations`, period (`2024-07`), 服务人次]. */
  rows: [number, string, number][]
  /** Adds a 备注 text column after 服务人次. */
  note?: boolean
}

export interface BuiltLedger {
  wb: Workbook
  /** The 指标 sheet. */
  m: Sheet
  /** The 站点 sheet. */
  st: Sheet
  /** Station row ids, in `spec.stations` order. */
  stationIds: string[]
  /** 指标 row ids, in `spec.rows` order. */
  rowIds: string[]
  cols: {
    name: string
    district: string | undefined
    station: string
    period: string
    served: string
    note: string | undefined
  }
}

/** Builds the ledger `spec` describes (each test names only the stations and rows it needs). */
export function buildLedger(spec: LedgerSpec): BuiltLedger {
  const wb = Workbook.create(spec.doc ?? new Y.Doc(), {
    title: spec.title ?? 't',
    author: spec.author ?? { id: 'u1', name: '王芳' },
  })
  const withDistrict = spec.stations.some((s) => s.district !== undefined)
  const st = wb.sheet(wb.addSheet('站点'))
  const name = st.addColumn({ name: '站点名称', type: 'text' })
  const district = withDistrict ? st.addColumn({ name: '区县', type: 'text' }) : undefined
  const stationIds = st.insertRows(
    spec.stations.map((s) =>
      district === undefined
        ? { [name]: s.name }
        : { [name]: s.name, [district]: s.district ?? null },
    ),
  )
  const m = wb.sheet(wb.addSheet('指标'))
  const station = m.addColumn({
    name: '站点',
    type: 'reference',
    format: { refSheet: st.id, refColumn: name },
  })
  const period = m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } })
  const served = m.addColumn({ name: '服务人次', type: 'integer' })
  const note = spec.note ? m.addColumn({ name: '备注', type: 'text' }) : undefined
  const rowIds = m.insertRows(
    spec.rows.map(([s, p, n]) => {
      const id = stationIds[s]
      if (id === undefined) throw new Error(`testLedger: no station ${s}`)
      return { [station]: id, [period]: p, [served]: n }
    }),
  )
  saveCompletenessSettings(wb, {
    sheetId: m.id,
    stationColumn: station,
    periodColumn: period,
    granularity: 'month',
    required: [served],
    from: '2024-06',
    to: '2024-07',
    ...(district === undefined ? {} : { districtColumn: district }),
  })
  return { wb, m, st, stationIds, rowIds, cols: { name, district, station, period, served, note } }
}

/** Three stations (朝歌, 桥盟 in 淇县; 殷行 in 杨浦区); 朝歌 has June and July, the others July. */
export function ledger() {
  const { wb, m, st, stationIds, rowIds, cols } = buildLedger({
    stations: [
      { name: '朝歌街道社工站', district: '淇县' },
      { name: '桥盟街道社工站', district: '淇县' },
      { name: '殷行街道社工站', district: '杨浦区' },
    ],
    rows: [
      [0, '2024-06', 40],
      [0, '2024-07', 3],
      [1, '2024-07', 5],
      [2, '2024-07', 9],
    ],
    note: true,
  })
  const [a, b, c] = stationIds as [string, string, string]
  const [ra6, ra7, rb7, rc7] = rowIds as [string, string, string, string]
  return {
    wb,
    m,
    st,
    stations: { a, b, c },
    rows: { ra6, ra7, rb7, rc7 },
    cols: {
      station: cols.station,
      period: cols.period,
      served: cols.served,
      note: cols.note as string,
    },
  }
}
