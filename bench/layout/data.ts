/**
 * Deterministic, realistic ledger rows for the layout bench: one row per station per month, as a
 * district's social-work stations report them (mixed Chinese text, integers, 万元 money, percents,
 * dates, booleans, an enum).
 */
import { type CellValue, type ColumnType, seededRandom } from './deps.js'

/** The shared seeded PRNG (mulberry32), uniform in [0, 1). */
export const createRandom = seededRandom

export interface BenchColumn {
  name: string
  type: ColumnType
}

export const COLUMNS: readonly BenchColumn[] = [
  { name: '站点名称', type: 'text' },
  { name: '所属区', type: 'text' },
  { name: '地址', type: 'text' },
  { name: '运营机构', type: 'text' },
  { name: '统计期', type: 'text' },
  { name: '服务人次', type: 'integer' },
  { name: '志愿者人数', type: 'integer' },
  { name: '专项经费（万元）', type: 'money' },
  { name: '满意度', type: 'percent' },
  { name: '成立日期', type: 'date' },
  { name: '是否达标', type: 'boolean' },
  { name: '运营状态', type: 'enum' },
]

const STREET_PREFIXES = [
  '朝歌',
  '殷行',
  '五角场',
  '新江湾城',
  '四平路',
  '控江路',
  '延吉新村',
  '大桥',
  '平凉路',
  '江浦路',
  '定海路',
  '长白新村',
  '曹杨新村',
  '长风新村',
  '宜川路',
  '甘泉路',
  '石泉路',
  '真如镇',
  '万里',
  '桃浦',
  '天平路',
  '湖南路',
  '枫林路',
  '斜土路',
  '龙华',
  '田林',
  '虹梅路',
  '康健新村',
  '凌云路',
  '漕河泾',
  '陆家嘴',
  '潍坊新村',
  '塘桥',
  '洋泾',
  '花木',
  '金杨新村',
  '东明路',
  '三林',
  '周家渡',
  '上钢新村',
]
const STATION_KINDS = ['街道社工站', '镇社工站', '社区服务站', '党群服务站']
const DISTRICTS = [
  '杨浦区',
  '普陀区',
  '徐汇区',
  '浦东新区',
  '黄浦区',
  '静安区',
  '长宁区',
  '虹口区',
  '闵行区',
  '宝山区',
]
const ROADS = [
  '国权路',
  '政立路',
  '淞沪路',
  '黄兴路',
  '长阳路',
  '武川路',
  '中山北路',
  '兰溪路',
  '宜山路',
  '钦州路',
  '浦东南路',
  '张杨路',
  '东方路',
  '杨高中路',
  '锦绣路',
]
const ORG_NAMES = [
  '启航',
  '同心',
  '乐群',
  '阳光',
  '恩派',
  '睦邻',
  '馨家园',
  '益和',
  '新途',
  '公益坊',
]
const ORG_KINDS = ['社会工作服务中心', '社工师事务所', '社区服务中心', '公益发展中心']
const STATUSES = ['运营中', '运营中', '运营中', '运营中', '筹建中', '暂停运营', '已撤并']

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

interface Station {
  name: string
  district: string
  address: string
  operator: string
  founded: string
}

function makeStations(rand: () => number, count: number): Station[] {
  const out: Station[] = []
  for (let i = 0; i < count; i++) {
    const district = pick(rand, DISTRICTS)
    out.push({
      name: STREET_PREFIXES[i % STREET_PREFIXES.length]! + pick(rand, STATION_KINDS),
      district,
      address: `上海市${district}${pick(rand, ROADS)}${1 + Math.floor(rand() * 2000)}号`,
      operator: `上海市${district}${pick(rand, ORG_NAMES)}${pick(rand, ORG_KINDS)}`,
      founded: `${2012 + Math.floor(rand() * 12)}-${pad2(1 + Math.floor(rand() * 12))}-${pad2(1 + Math.floor(rand() * 28))}`,
    })
  }
  return out
}

/** `count` rows of 12 values each, in COLUMNS order; the same seed gives the same rows. */
export function generateRows(count: number, seed = 20240601): CellValue[][] {
  const rand = createRandom(seed)
  const stations = makeStations(rand, 800)
  const rows: CellValue[][] = []
  for (let i = 0; i < count; i++) {
    const st = stations[i % stations.length]!
    // Periods walk back month by month from 2024-06 as the station list wraps.
    const back = Math.floor(i / stations.length)
    const year = 2024 - Math.floor((back + 6) / 12)
    const month = ((((6 - 1 - back) % 12) + 12) % 12) + 1
    rows.push([
      st.name,
      st.district,
      st.address,
      st.operator,
      `${year}-${pad2(month)}`,
      Math.floor(200 + rand() * 4800),
      Math.floor(rand() * 300),
      Math.round((0.5 + rand() * 299.5) * 100) / 100,
      Math.round((0.6 + rand() * 0.4) * 1000) / 1000,
      st.founded,
      rand() < 0.82,
      pick(rand, STATUSES),
    ])
  }
  return rows
}

/** A value for the `i`-th of a run of edits to a cell of `type`; distinct for distinct `i`. */
export function editValue(type: ColumnType, i: number): CellValue {
  switch (type) {
    case 'integer':
      return i
    case 'money':
      return Math.round(i) / 100
    case 'percent':
      return i / 100000
    default:
      return `备注${i}`
  }
}
