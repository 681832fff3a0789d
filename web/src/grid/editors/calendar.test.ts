import { describe, expect, it } from 'vitest'
import { addDays, addMonths, monthPage } from './calendar'

describe('calendar', () => {
  it('lays out a month from Monday, six weeks, neighbours filling the edges', () => {
    // 2024-05-01 is a Wednesday: Monday 29 and Tuesday 30 April come first.
    const page = monthPage('2024-05-06')
    expect(page).toHaveLength(42)
    expect(page.slice(0, 3).map((d) => [d.iso, d.inMonth])).toEqual([
      ['2024-04-29', false],
      ['2024-04-30', false],
      ['2024-05-01', true],
    ])
    expect(page.filter((d) => d.inMonth)).toHaveLength(31)
    expect(page[41]!.iso).toBe('2024-06-09')
    // A month starting on a Monday has no lead days.
    expect(monthPage('2024-01-15')[0]!.iso).toBe('2024-01-01')
  })

  it('moves by days across months and years, and by months keeping the day inside the month', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01')
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29')
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28')
    expect(addMonths('2024-01-15', -1)).toBe('2023-12-15')
    expect(addMonths('2024-05-06', 12)).toBe('2025-05-06')
  })
})
