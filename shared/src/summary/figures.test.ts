import { describe, expect, it } from 'vitest'
import { evaluateFigure, figureName, figureNames, figureRoots } from './figures.js'
import type { SummaryTable } from './summary.js'

// zh-data: a summary as the report page sees it (grand total last)
const table: SummaryTable = {
  keyLabels: ['区县'],
  measureLabels: ['服务人次 合计', '服务人次 平均值', '活动次数 合计', '行数 计数'],
  rows: [
    { level: 1, keys: ['杨浦区'], values: [1200, 300, 40, 4], rows: 4 },
    { level: 1, keys: ['浦东新区'], values: [2400, 400, 60, 6], rows: 6 },
    { level: 0, keys: [], values: [3600, 360, 100, 10], rows: 10 },
  ],
}

describe('key figures over summaries', () => {
  const roots = figureRoots([
    { title: '按区县 汇总', table },
    { title: '坏的汇总', table: null },
  ])

  it('names each summary and measure as identifiers, grand totals as values', () => {
    expect(figureName('服务人次 合计（万元）')).toBe('服务人次合计万元')
    expect(figureName('2024 汇总')).toBe('_2024汇总')
    expect(roots).toEqual({
      按区县汇总: {
        服务人次合计: 3600,
        服务人次平均值: 360,
        活动次数合计: 100,
        活动次数: 100, // the only measure over that column
        行数计数: 10,
        行数: 10,
      },
    })
    expect(figureNames(roots)).toContain('按区县汇总.服务人次合计')
  })

  it('evaluates arithmetic and functions over the totals', () => {
    expect(evaluateFigure('按区县汇总.服务人次合计 / 按区县汇总.行数', roots)).toEqual({
      ok: true,
      value: 360,
    })
    expect(evaluateFigure('ROUND(按区县汇总.活动次数 / 3, 1)', roots)).toEqual({
      ok: true,
      value: 33.3,
    })
  })

  it('explains a bad expression in both languages and never throws', () => {
    for (const bad of ['按区县汇总.不存在', '未知汇总.x', '1 +', '"文字"', '']) {
      const r = evaluateFigure(bad, roots)
      expect(r.ok, bad).toBe(false)
      if (!r.ok) {
        expect(r.error.message.zh.length).toBeGreaterThan(0)
        expect(r.error.message.en.length).toBeGreaterThan(0)
      }
    }
    const div0 = evaluateFigure('按区县汇总.行数 / 0', roots)
    expect(div0.ok).toBe(false)
  })
})
