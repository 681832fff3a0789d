import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from './en'
import { zhCN } from './zh-CN'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return name === 'i18n' || name === 'csv' ? [] : sourceFiles(p)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.test.ts') ? [p] : []
  })
}

describe('messages', () => {
  it('en has exactly the zh-CN keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
  })
  it('components carry no Chinese literals (comments aside)', () => {
    const root = join(import.meta.dirname, '..')
    const offenders: string[] = []
    for (const file of sourceFiles(root)) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1')
      if (/[\u4e00-\u9fff]/.test(code)) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })
})
