import { seededRandom as seeded } from '../model/ids.js'
import { DEMO } from '../model/origins.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { addDemoLedger } from './demoLedger.js'

/** Sheet names of the demo workbook. */
export const DEMO_SHEETS = { stations: '站点', metrics: '指标', regions: '地区' } as const

const SAMPLE = '示例数据'
const PUBLIC = '公开报道'

interface StationSeed {
  province: string
  district: string
  street: string
  type: '综合社工站' | '专项社工站' | '区级指导中心'
  model: boolean
  operator: string
  founded: string
}

// Street and township names are real places named in public reports (see shared/DOMAIN.md);
// every station-level figure below is invented and marked 示例数据.
const QI = [
  '朝歌街道',
  '桥盟街道',
  '卫都街道',
  '灵山街道',
  '北阳镇',
  '西岗镇',
  '庙口镇',
  '高村镇',
  '黄洞乡',
]
const QI_MODEL = new Set(['朝歌街道', '桥盟街道', '灵山街道'])
const QI_ORGS = [
  '淇县新光源社会工作服务中心',
  '淇县温馨社会工作服务中心',
  '淇县萤火社会工作服务中心',
]
const YANGPU = [
  '定海路街道',
  '平凉路街道',
  '江浦路街道',
  '四平路街道',
  '控江路街道',
  '长白新村街道',
  '延吉新村街道',
  '殷行街道',
  '大桥街道',
  '五角场街道',
  '新江湾城街道',
  '长海路街道',
]

function stationSeeds(rand: () => number): StationSeed[] {
  const out: StationSeed[] = [
    {
      province: '上海市',
      district: '杨浦区',
      street: '杨浦区',
      type: '区级指导中心',
      model: false,
      operator: '杨浦区社会工作协会',
      founded: '2021-03-01',
    },
  ]
  QI.forEach((street, i) =>
    out.push({
      province: '河南省',
      district: '鹤壁市淇县',
      street,
      type: '综合社工站',
      model: QI_MODEL.has(street),
      operator: QI_ORGS[i % QI_ORGS.length]!,
      founded: `2022-${String(1 + (i % 9)).padStart(2, '0')}-${String(10 + i).padStart(2, '0')}`,
    }),
  )
  YANGPU.forEach((street, i) =>
    out.push({
      province: '上海市',
      district: '杨浦区',
      street,
      type: i % 4 === 3 ? '专项社工站' : '综合社工站',
      model: i === 7,
      operator: `杨浦区${['益善', '同心', '乐群', '阳光'][i % 4]}社工服务社`,
      founded: `2021-${String(4 + (i % 8)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 27)).padStart(2, '0')}`,
    }),
  )
  return out
}

const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']

/**
 * Fills `wb` with the demo ledger: 站点 (stations), 指标 (monthly metrics per station, a
 * reference column to 站点) and 地区 (region totals from public reports, with coverage).
 * Invented station-level rows carry 来源 = 示例数据. One transaction, origin DEMO.
 */
export function createDemoWorkbook(wb: Workbook): {
  stations: string
  metrics: string
  regions: string
} {
  const rand = seeded(20240524)
  return wb.transact(() => {
    if (!wb.meta().title) wb.setTitle('社工站台账（示例）')
    const stations = wb.sheet(wb.addSheet(DEMO_SHEETS.stations))
    const sc = {
      name: stations.addColumn({
        name: '站点名称',
        type: 'text',
        constraints: { required: true, unique: true },
        width: 200,
      }),
      province: stations.addColumn({ name: '省份', type: 'text', width: 90 }),
      district: stations.addColumn({ name: '区县', type: 'text', width: 110 }),
      street: stations.addColumn({
        name: '乡镇（街道）',
        type: 'text',
        constraints: { required: true },
      }),
      type: stations.addColumn({
        name: '类型',
        type: 'enum',
        constraints: {
          options: [
            { value: '综合社工站', color: '#2563eb' },
            { value: '专项社工站', color: '#9333ea' },
            { value: '区级指导中心', color: '#059669' },
          ],
        },
      }),
      model: stations.addColumn({ name: '示范社工站', type: 'boolean', width: 100 }),
      operator: stations.addColumn({ name: '运营机构', type: 'text', width: 220 }),
      workers: stations.addColumn({
        name: '持证社工',
        type: 'integer',
        constraints: { min: 0 },
        width: 100,
      }),
      founded: stations.addColumn({ name: '建站日期', type: 'date', width: 120 }),
      source: stations.addColumn({
        name: '来源',
        type: 'enum',
        constraints: {
          options: [
            { value: SAMPLE, color: '#d97706' },
            { value: PUBLIC, color: '#16a34a' },
          ],
        },
        width: 100,
      }),
    }
    const seeds = stationSeeds(rand)
    const stationRows: Record<string, CellValue>[] = seeds.map((s) => ({
      [sc.name]: s.type === '区级指导中心' ? '杨浦区社会工作服务指导中心' : `${s.street}社工站`,
      [sc.province]: s.province,
      [sc.district]: s.district,
      [sc.street]: s.street,
      [sc.type]: s.type,
      [sc.model]: s.model,
      [sc.operator]: s.operator,
      [sc.workers]: 2 + Math.floor(rand() * 7),
      [sc.founded]: s.founded,
      [sc.source]: SAMPLE,
    }))
    const stationIds = stations.insertRows(stationRows)

    const metrics = wb.sheet(wb.addSheet(DEMO_SHEETS.metrics))
    const mc = {
      station: metrics.addColumn({
        name: '站点',
        type: 'reference',
        format: { refSheet: stations.id, refColumn: sc.name },
        constraints: { required: true },
        width: 200,
      }),
      period: metrics.addColumn({
        name: '期间',
        type: 'period',
        format: { granularity: 'month' },
        constraints: { required: true },
        width: 100,
      }),
      activities: metrics.addColumn({
        name: '服务活动（次）',
        type: 'integer',
        constraints: { min: 0 },
      }),
      served: metrics.addColumn({ name: '服务人次', type: 'integer', constraints: { min: 0 } }),
      volunteers: metrics.addColumn({ name: '志愿者', type: 'integer', constraints: { min: 0 } }),
      supervision: metrics.addColumn({
        name: '督导（家次）',
        type: 'integer',
        constraints: { min: 0 },
      }),
      funding: metrics.addColumn({
        name: '投入资金（万元）',
        type: 'money',
        format: { unit: '万元', decimals: 2 },
        constraints: { min: 0 },
      }),
      source: metrics.addColumn({ name: '来源', type: 'text', width: 100 }),
    }
    const metricRows: Record<string, CellValue>[] = []
    stationIds.forEach((id) => {
      const scale = 0.6 + rand()
      for (const month of MONTHS) {
        metricRows.push({
          [mc.station]: id,
          [mc.period]: month,
          [mc.activities]: Math.round((8 + rand() * 20) * scale),
          [mc.served]: Math.round((150 + rand() * 600) * scale),
          [mc.volunteers]: Math.round((10 + rand() * 60) * scale),
          [mc.supervision]: Math.floor(rand() * 4),
          [mc.funding]: Math.round((0.5 + rand() * 2.5) * scale * 100) / 100,
          [mc.source]: SAMPLE,
        })
      }
    })
    metrics.insertRows(metricRows)
    // This month (2024-07) is being filled in: the 淇县 stations have reported, two only partly
    // (志愿者 blank); the others have not, and their rows are not invented (issue 14, completeness).
    const july = stationIds.slice(1, 10).map((id, i) => ({
      [mc.station]: id,
      [mc.period]: '2024-07',
      [mc.activities]: 10 + i,
      [mc.served]: 200 + 37 * i,
      [mc.volunteers]: i % 4 === 3 ? null : 12 + i,
      [mc.supervision]: i % 3,
      [mc.funding]: 1 + i / 10,
      [mc.source]: SAMPLE,
    }))
    metrics.insertRows(july)

    const regions = wb.sheet(wb.addSheet(DEMO_SHEETS.regions))
    const rc = {
      region: regions.addColumn({
        name: '地区',
        type: 'text',
        constraints: { required: true, unique: true },
      }),
      level: regions.addColumn({
        name: '层级',
        type: 'enum',
        constraints: {
          options: [
            { value: '省', color: '#dc2626' },
            { value: '市', color: '#ea580c' },
            { value: '区县', color: '#2563eb' },
          ],
        },
        width: 80,
      }),
      period: regions.addColumn({ name: '期间', type: 'period', width: 110 }),
      stations: regions.addColumn({
        name: '乡镇（街道）社工站',
        type: 'integer',
        constraints: { min: 0 },
      }),
      coverage: regions.addColumn({
        name: '覆盖率',
        type: 'percent',
        format: { decimals: 1 },
        constraints: { min: 0, max: 1 },
      }),
      workers: regions.addColumn({ name: '持证社工', type: 'integer', constraints: { min: 0 } }),
      activities: regions.addColumn({ name: '服务活动（次）', type: 'integer' }),
      served: regions.addColumn({ name: '服务人次', type: 'integer' }),
      volunteers: regions.addColumn({ name: '志愿者', type: 'integer' }),
      funding: regions.addColumn({
        name: '投入资金（万元）',
        type: 'money',
        format: { unit: '万元' },
      }),
      note: regions.addColumn({ name: '备注', type: 'text', width: 320 }),
    }
    // Public figures from news reports (shared/DOMAIN.md); "+" figures are stored as the floor.
    regions.insertRows([
      {
        [rc.region]: '河北省',
        [rc.level]: '省',
        [rc.period]: '2022-08',
        [rc.stations]: 1435,
        [rc.coverage]: 0.637,
        [rc.activities]: 23000,
        [rc.served]: 55000,
        [rc.volunteers]: 12_037_000,
        [rc.note]: '廊坊、邢台实现全覆盖；志愿者为注册志愿者；服务活动2.3万余次、服务5.5万余人次',
      },
      {
        [rc.region]: '沧州市',
        [rc.level]: '市',
        [rc.period]: '2022',
        [rc.stations]: 193,
        [rc.coverage]: 1,
        [rc.workers]: 1197,
        [rc.activities]: 2163,
        [rc.served]: 12000,
        [rc.volunteers]: 7000,
        [rc.funding]: 153,
        [rc.note]:
          '持证社工由2019年256人增至1197人，今年通过583人；8个项目153万元；服务1.2万余人次',
      },
      {
        [rc.region]: '杨浦区',
        [rc.level]: '区县',
        [rc.period]: '2023',
        [rc.stations]: 12,
        [rc.coverage]: 1,
        [rc.funding]: 276,
        [rc.note]:
          '“1+12”：1个区级指导中心、12个街道综合社工站、12个未成年人保护专项站、12个街道专项站、1个滨江治理站',
      },
      {
        [rc.region]: '淇县',
        [rc.level]: '区县',
        [rc.period]: '2022',
        [rc.stations]: 9,
        [rc.coverage]: 1,
        [rc.workers]: 48,
        [rc.funding]: 94,
        [rc.note]:
          '持证社工由2021年17人增至48人；2021年起每年10万元服务经费；统筹94万元用于站点建设',
      },
    ])
    addDemoLedger(
      wb,
      { stations: stations.id, metrics: metrics.id },
      {
        stationDistrict: sc.district,
        activities: mc.activities,
        served: mc.served,
        volunteers: mc.volunteers,
        station: mc.station,
        period: mc.period,
      },
      { from: MONTHS[0]!, to: '2024-07' },
    )
    return { stations: stations.id, metrics: metrics.id, regions: regions.id }
  }, DEMO)
}
