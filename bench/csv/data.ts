/** Deterministic ledger CSV for the CSV benchmarks (Node and Chromium share it). */
import { seededRandom } from '../../shared/src/model/ids.js'

const STREETS = [
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
  '桥盟',
  '灵山',
  '北窑',
  '高村',
  '庙口',
  '西岗',
]
const DISTRICTS = ['杨浦区', '淇县', '运河区', '新华区', '黄骅市', '任丘市', '浦东新区', '牡丹区']
const ORGS = [
  '新光源社会工作服务中心',
  '温馨社工事务所',
  '萤火社会工作发展中心',
  '阳光社工服务社',
  '同心社会工作服务中心',
]
const STATES = ['运营中', '筹建中', '暂停']

/** The shared seeded PRNG (mulberry32). */
export const rand = seededRandom

/** 100,000 × 12 ledger rows as a Chinese Excel user would save them (thousands separators, %, 万元, dates). */
export function makeCsv(rows: number): string {
  const r = rand(42)
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!
  const out = [
    '站点名称,所属区,地址,运营机构,期间,服务人次,志愿者人数,投入资金（万元）,覆盖率,成立日期,示范站,运营状态',
  ]
  for (let i = 0; i < rows; i++) {
    const street = pick(STREETS)
    const served = Math.floor(r() * 5000)
    out.push(
      [
        `${street}街道社工站${i % 997}`,
        pick(DISTRICTS),
        `"${street}路${Math.floor(r() * 900) + 1}号，${pick(['社区服务中心', '党群服务中心', '便民服务站'])}二楼"`,
        pick(ORGS),
        `2024-${String((i % 12) + 1).padStart(2, '0')}`,
        served >= 1000 ? `"${served.toLocaleString('en-US')}"` : String(served),
        String(Math.floor(r() * 300)),
        `${(Math.floor(r() * 3000) / 10).toFixed(1)}万元`,
        `${(r() * 100).toFixed(1)}%`,
        `${2015 + Math.floor(r() * 9)}年${1 + Math.floor(r() * 12)}月${1 + Math.floor(r() * 28)}日`,
        r() < 0.2 ? '是' : '否',
        pick(STATES),
      ].join(','),
    )
  }
  return out.join('\r\n') + '\r\n'
}
