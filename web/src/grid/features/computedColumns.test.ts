import { describe, expect, it } from 'vitest'
import { computedText } from './computedColumns'

describe('computedText', () => {
  it('shows numbers with the column decimals and unit, in the locale', () => {
    expect(computedText({ ok: true, value: 12345.6 }, 1, '人次', 'zh-CN')).toBe('12,345.6 人次')
    expect(computedText({ ok: true, value: 2 }, 1, undefined, 'en')).toBe('2.0')
    expect(computedText({ ok: true, value: 1 / 3 }, undefined, undefined, 'en')).toBe('0.333333')
  })
  it('shows blanks as empty and text as is', () => {
    expect(computedText({ ok: true, value: null }, 1, '元', 'zh-CN')).toBe('')
    expect(computedText({ ok: true, value: '杨浦区' }, undefined, undefined, 'zh-CN')).toBe(
      '杨浦区',
    )
  })
  it("shows a row's own error in the locale", () => {
    const r = {
      ok: false as const,
      error: { kind: 'div0' as const, message: { zh: '除数为 0', en: 'Division by zero' } },
    }
    expect(computedText(r, 1, undefined, 'zh-CN')).toBe('除数为 0')
    expect(computedText(r, 1, undefined, 'en')).toBe('Division by zero')
  })
})
