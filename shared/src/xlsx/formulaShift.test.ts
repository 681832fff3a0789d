import { describe, expect, it } from 'vitest'
import { shiftFormula } from './formulaShift.js'

describe('XLSX1 a shared formula as its other cells hold it', () => {
  it('XLSX1 moves relative references, keeps anchored ones, names, functions and literals', () => {
    expect(shiftFormula('TEXT(B2,"YYYY-MM-DD")', 1, 0)).toBe('TEXT(B3,"YYYY-MM-DD")')
    expect(shiftFormula('SUM(A1:C1)*$D$1+D$1+$D1', 2, 1)).toBe('SUM(B3:D3)*$D$1+E$1+$D3')
    expect(shiftFormula("'Sheet A1'!A1+Sheet2!B2", 1, 1)).toBe("'Sheet A1'!B2+Sheet2!C3")
    expect(shiftFormula('LOG10(A1)+ATAN2(B1,C1)&"A1"', 0, 2)).toBe('LOG10(C1)+ATAN2(D1,E1)&"A1"')
    expect(shiftFormula('A1&"say ""B2"""', 1, 0)).toBe('A2&"say ""B2"""')
    expect(shiftFormula('Z1+AZ9', 0, 1)).toBe('AA1+BA9')
    expect(shiftFormula('A1', -1, 0)).toBe('#REF!')
    expect(shiftFormula('B2', 0, 0)).toBe('B2')
  })
})
