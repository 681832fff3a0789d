/**
 * Outlier warnings: a value far outside the same station's own history.
 *
 * The statistic is the modified z-score of Iglewicz and Hoaglin (1993), one of DHIS2's outlier
 * detection methods: M = 0.6745 × (x − median) / MAD, MAD the median absolute deviation of the
 * station's values in that column, flagged when |M| > 3.5 (their recommended cut-off). Median and MAD
 * are robust: the outlier itself barely moves them, unlike a mean/standard-deviation z-score. When MAD
 * is 0 (over half the values equal), the mean absolute deviation × 1.253314 stands in for it (the
 * usual fallback); with fewer than `minHistory` values nothing is flagged. Never blocking.
 */
import type { CellValue } from '../schema/columnTypes.js'

export const MODIFIED_Z_THRESHOLD = 3.5
export const OUTLIER_MIN_HISTORY = 5

export interface Outlier {
  rowId: string
  value: number
  median: number
  score: number
  message: { zh: string; en: string }
}

function median(sorted: readonly number[]): number {
  const n = sorted.length
  const mid = n >> 1
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Find outliers of one numeric column, grouping rows by `groupOf` (the station).
 * @example findOutliers(rowIds, (id) => sheet.getCell(id, station), (id) => sheet.getCell(id, served), '服务人次')
 */
export function findOutliers(
  rowIds: readonly string[],
  groupOf: (rowId: string) => CellValue | undefined,
  readValue: (rowId: string) => CellValue | undefined,
  columnName: string,
  opts: { threshold?: number; minHistory?: number } = {},
): Outlier[] {
  const threshold = opts.threshold ?? MODIFIED_Z_THRESHOLD
  const minHistory = opts.minHistory ?? OUTLIER_MIN_HISTORY
  const groups = new Map<string, { ids: string[]; values: number[] }>()
  for (const id of rowIds) {
    const v = readValue(id)
    const g = groupOf(id)
    if (typeof v !== 'number' || !Number.isFinite(v) || g === null || g === undefined || g === '')
      continue
    const key = String(g)
    let e = groups.get(key)
    if (!e) {
      e = { ids: [], values: [] }
      groups.set(key, e)
    }
    e.ids.push(id)
    e.values.push(v)
  }
  const out: Outlier[] = []
  for (const { ids, values } of groups.values()) {
    if (values.length < minHistory) continue
    const sorted = [...values].sort((a, b) => a - b)
    const med = median(sorted)
    const mad = median(values.map((v) => Math.abs(v - med)).sort((a, b) => a - b))
    let scale: number
    if (mad > 0) scale = mad / 0.6745
    else {
      const meanAd = values.reduce((s, v) => s + Math.abs(v - med), 0) / values.length
      if (meanAd === 0) continue
      scale = meanAd * 1.253314
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!
      const score = (v - med) / scale
      if (Math.abs(score) > threshold) {
        const s = Math.round(Math.abs(score) * 10) / 10
        out.push({
          rowId: ids[i]!,
          value: v,
          median: med,
          score,
          message: {
            zh: `“${columnName}”为 ${v}，远${score > 0 ? '高' : '低'}于本站历史中位数 ${med}（修正 z 分数 ${s}，阈值 ${threshold}）`,
            en: `"${columnName}" is ${v}, far ${score > 0 ? 'above' : 'below'} this station's median ${med} (modified z-score ${s}, threshold ${threshold})`,
          },
        })
      }
    }
  }
  return out
}
