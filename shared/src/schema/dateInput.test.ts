import { describe, expect, it } from 'vitest'
import { parseDateInput } from './dateInput.js'

describe('parseDateInput (issue 12: the grid date editor)', () => {
  it('accepts the usual ways of writing a date and Excel serial day numbers', () => {
    for (const s of [
      '2024-5-6',
      '2024/5/6',
      '2024.5.6',
      '2024年5月6日',
      '20240506',
      ' 2024-05-06 ',
    ])
      expect(parseDateInput(s)).toEqual({ ok: true, value: '2024-05-06' })
    expect(parseDateInput('2021/3/15')).toEqual({ ok: true, value: '2021-03-15' })
    // Excel: 45418 is 2024-05-06, 61 is 1900-03-01, 73415 is 2100-12-31.
    expect(parseDateInput('45418')).toEqual({ ok: true, value: '2024-05-06' })
    expect(parseDateInput('61')).toEqual({ ok: true, value: '1900-03-01' })
    expect(parseDateInput('73415')).toEqual({ ok: true, value: '2100-12-31' })
  })

  it('refuses a year outside 1900–2100 and impossible dates, in Chinese and English', () => {
    for (const s of ['1315-02-02', '0218-02-02', '2101-01-01', '1899-12-31']) {
      const r = parseDateInput(s)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.message.zh).toContain('1900–2100')
        expect(r.error.message.en).toContain('between 1900 and 2100')
      }
    }
    const feb30 = parseDateInput('2024-02-30')
    expect(feb30.ok).toBe(false)
    if (!feb30.ok) expect(feb30.error.message.zh).toContain('不是存在的日期')
    expect(parseDateInput('明天').ok).toBe(false)
    expect(parseDateInput('73416').ok).toBe(false)
  })
})
