import { describe, expect, it } from 'vitest'
import { formatFigure } from './reportLayout'

describe('key figures', () => {
  it('are written the way a report writes them', () => {
    expect(formatFigure(1435)).toBe('1,435')
    expect(formatFigure(0.637, 'percent')).toBe('63.7%')
    expect(formatFigure(23_140, 'wan')).toBe('2.3 万')
    expect(formatFigure(23_140, 'wan', 'en')).toBe('23,140')
    expect(formatFigure(2_893, 'wan')).toBe('2,893')
    expect(formatFigure(null)).toBe('—')
  })
})
