import { describe, expect, it } from 'vitest'
import { en } from './en'
import { zhCN } from './zh-CN'

// Every web source file as text (Vite's raw import), except messages, tests, the CSV feature and
// the features' own zh/en catalogs (`<feature>/text.ts`, as csv/text.ts, or a sub-feature's,
// as access/ui/text.ts).
const sources = import.meta.glob<string>(
  [
    '../**/*.ts',
    '../**/*.tsx',
    '!../i18n/**',
    '!../**/*.test.ts',
    '!../csv/**',
    '!../*/text.ts',
    '!../*/*/text.ts',
  ],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
)

describe('messages', () => {
  it('en has exactly the zh-CN keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
  })
  it('components carry no Chinese literals (comments aside)', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10)
    const offenders = Object.entries(sources)
      .filter(([, code]) => {
        // The line after a `zh-data` comment holds domain data (a unit, a column name the demo
        // uses), not UI text: the comment says why.
        const stripped = code
          .replace(/^.*zh-data.*\n.*$/gm, '')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/(^|[^:])\/\/.*$/gm, '$1')
        return /[\u4e00-\u9fff]/.test(stripped)
      })
      .map(([file]) => file)
    expect(offenders).toEqual([])
  })
})
