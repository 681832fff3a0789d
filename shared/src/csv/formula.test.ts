import fc from 'fast-check'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { isFormulaLike, neutraliseFormula, restoreFormula } from './formula.js'

describe('CSV9 formula neutralisation', () => {
  it('CSV9 prefixes = + - @ tab CR with an apostrophe', () => {
    for (const s of ['=1+1', '+86 138', '-5', '@SUM(A1)', '\t制表', '\r回车'])
      expect(neutraliseFormula(s)).toBe(`'${s}`)
    expect(neutraliseFormula('殷行街道')).toBe('殷行街道')
    expect(neutraliseFormula('')).toBe('')
  })
  it('CSV9 neutralises every line of a multi-line cell, which papaparse escapeFormulae misses', () => {
    const cell = '说明\n=HYPERLINK("http://x")\n正常\n-2'
    expect(neutraliseFormula(cell)).toBe('说明\n\'=HYPERLINK("http://x")\n正常\n\'-2')
    const papa = Papa.unparse([[cell]], { escapeFormulae: true })
    expect(papa).toContain('\n=HYPERLINK') // the gap this rule closes
  })
  it('CSV9 already-escaped text gets one more apostrophe so the mapping stays reversible', () => {
    expect(neutraliseFormula("'=x")).toBe("''=x")
    expect(neutraliseFormula("'plain")).toBe("'plain")
  })
  it('CSV10 restoreFormula inverts neutraliseFormula, and no neutralised line is a formula (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '\n', 'a', '站', '1')),
          {
            maxLength: 12,
          },
        ),
        (parts) => {
          const s = parts.join('')
          const n = neutraliseFormula(s)
          expect(restoreFormula(n)).toBe(s)
          expect(isFormulaLike(n)).toBe(false)
        },
      ),
    )
  })
})
