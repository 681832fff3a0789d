import { describe, expect, it } from 'vitest'
import type { CsvRefusal, CsvWarning } from './issues.js'
import { describeRefusal, describeWarning } from './messages.js'

const refusals: CsvRefusal[] = [
  { kind: 'empty' },
  { kind: 'binary', format: 'xlsx' },
  { kind: 'binary', format: 'png' },
  { kind: 'too-large', bytes: 300 * 1024 * 1024, limit: 256 * 1024 * 1024 },
  { kind: 'too-wide', line: 7, columns: 1200, limit: 1000 },
  { kind: 'cell-too-long', line: 9, chars: 200_000, limit: 100_000 },
  { kind: 'row-too-long', line: 3, limit: 2_000_000 },
  { kind: 'header-only', header: ['站点名称', '期间'] },
  { kind: 'cancelled' },
  { kind: 'bad-mapping', zh: '列“x”被映射了两次', en: 'Column "x" is mapped twice' },
  { kind: 'misfits', count: 4 },
  { kind: 'read-only' },
  { kind: 'failed', detail: 'boom' },
]
const warnings: CsvWarning[] = [
  { kind: 'renamed-header', index: 1, from: '名称', to: '名称 (2)' },
  { kind: 'renamed-header', index: 2, from: '', to: '列3' },
  { kind: 'ragged', count: 2, examples: [{ line: 4, fields: 3, expected: 5 }] },
  { kind: 'blank-lines', count: 3 },
  { kind: 'unclosed-quote', line: 12 },
  { kind: 'utf8-fallback' },
  { kind: 'replacement-chars', count: 5 },
  { kind: 'extra-columns', names: ['列6'] },
]

describe('CSV7 messages', () => {
  it('CSV7 every refusal has a Chinese and an English message naming its line or size', () => {
    for (const r of refusals) {
      const zh = describeRefusal(r, 'zh')
      const en = describeRefusal(r, 'en')
      expect(zh).toMatch(/[\u4e00-\u9fff]/)
      // English messages carry no Chinese of their own (header names are the file's data).
      if (r.kind !== 'header-only') expect(en).not.toMatch(/[\u4e00-\u9fff]{3}/)
      if ('line' in r) {
        expect(zh).toContain(`第 ${r.line} 行`)
        expect(en).toContain(`ine ${r.line}`)
      }
    }
    expect(describeRefusal({ kind: 'binary', format: 'xlsx' }, 'zh')).toContain('“另存为” CSV')
    expect(
      describeRefusal(
        { kind: 'too-large', bytes: 300 * 1024 * 1024, limit: 256 * 1024 * 1024 },
        'zh',
      ),
    ).toContain('256 MB')
  })
  it('CSV4 every warning has both languages', () => {
    for (const w of warnings) {
      expect(describeWarning(w, 'zh')).toMatch(/[\u4e00-\u9fff]/)
      expect(describeWarning(w, 'en').length).toBeGreaterThan(10)
    }
    expect(describeWarning(warnings[2]!, 'zh')).toContain('第 4 行')
  })
})
