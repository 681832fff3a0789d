import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inferColumnType } from './inferColumnType.js'

describe('inferColumnType', () => {
  it('integers, with thousands separators and full-width digits', () => {
    expect(inferColumnType(['1,435', '193', '１，１９７', '', '—'])).toEqual({
      type: 'integer',
      confidence: 1,
    })
  })
  it('0/1 columns are integers, not booleans', () => {
    expect(inferColumnType(['0', '1', '1', '0']).type).toBe('integer')
  })
  it('numbers with decimals', () => {
    expect(inferColumnType(['12.037', '1,197', '0.5'])).toEqual({ type: 'number', confidence: 1 })
  })
  it('approximate counts are integers', () => {
    expect(inferColumnType(['1.2万余人次', '23,000+', '55,000余']).type).toBe('integer')
  })
  it('percent needs a % sign', () => {
    expect(inferColumnType(['63.7%', '100%', '８５％'])).toEqual({ type: 'percent', confidence: 1 })
  })
  it('money takes its unit from the suffix', () => {
    expect(inferColumnType(['276万元', '153万元', '10万元', '94万元'])).toEqual({
      type: 'money',
      format: { unit: '万元' },
      confidence: 1,
    })
    expect(inferColumnType(['2,760,000元', '5,000元']).format).toEqual({ unit: '元' })
  })
  it('dates in Chinese and ISO forms', () => {
    expect(inferColumnType(['2024年5月24日', '2024/5/24', '2024-05-24'])).toEqual({
      type: 'date',
      confidence: 1,
    })
  })
  it('8-digit codes stay integers', () => {
    expect(inferColumnType(['20240524', '20240601']).type).toBe('integer')
  })
  it('booleans', () => {
    expect(inferColumnType(['是', '否', '是', ''])).toEqual({ type: 'boolean', confidence: 1 })
    expect(inferColumnType(['✓', '×', '√']).type).toBe('boolean')
  })
  it('periods are periods (issue 14), names are text', () => {
    expect(inferColumnType(['2024-06', '2024-07']).type).toBe('period')
    expect(inferColumnType(['朝歌街道', '桥盟街道', '灵山街道']).type).toBe('text')
  })
  it('needs 95% of non-empty samples to agree', () => {
    const mostly = [...Array.from({ length: 19 }, (_, i) => String(i)), 'n/a?']
    expect(inferColumnType(mostly)).toEqual({ type: 'integer', confidence: 0.95 })
    const tooFew = [...Array.from({ length: 18 }, (_, i) => String(i)), 'x', 'y']
    expect(inferColumnType(tooFew).type).toBe('text')
  })
  it('all-empty samples give text with no confidence', () => {
    expect(inferColumnType(['', ' ', '—'])).toEqual({ type: 'text', confidence: 0 })
    expect(inferColumnType([])).toEqual({ type: 'text', confidence: 0 })
  })
  it('never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (samples) => {
        const r = inferColumnType(samples)
        expect(r.confidence).toBeGreaterThanOrEqual(0)
        expect(r.confidence).toBeLessThanOrEqual(1)
      }),
    )
  })
})
