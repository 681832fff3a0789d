import { columnLetters } from './sheetXml.js'

/**
 * A shared formula's text as one of its other cells holds it (issue #15 §1, the formulas note):
 * Excel writes the formula once, in the range's first cell, and the others only refer to it, their
 * relative references moved by the cell's offset. Hand-written: SheetJS does this internally
 * (`shift_formula_str`) but does not export it. Only the note's examples use it; values are the
 * cached ones either way. A1 references are moved unless `$`-anchored; string literals and quoted
 * sheet names are left alone; whole-column and whole-row ranges (`A:A`, `1:1`) are not moved.
 */
const REF = /(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(.])/g

function columnIndex(letters: string): number {
  let c = 0
  for (let i = 0; i < letters.length; i++) c = c * 26 + (letters.charCodeAt(i) - 64)
  return c - 1
}

function shiftPlain(text: string, dr: number, dc: number): string {
  return text.replace(
    REF,
    (whole, cAbs: string, col: string, rAbs: string, row: string, at: number) => {
      // Part of a longer name (`LOG10`, `Sheet2`'s tail, `_A1`): not a reference.
      const before = at > 0 ? text[at - 1]! : ''
      if (/[A-Za-z0-9_.]/.test(before)) return whole
      const c = cAbs ? columnIndex(col) : columnIndex(col) + dc
      const r = rAbs ? Number(row) : Number(row) + dr
      if (c < 0 || c > 16383 || r < 1 || r > 1048576) return '#REF!'
      return `${cAbs}${columnLetters(c)}${rAbs}${r}`
    },
  )
}

export function shiftFormula(formula: string, dr: number, dc: number): string {
  if (dr === 0 && dc === 0) return formula
  let out = ''
  let plain = ''
  for (let i = 0; i < formula.length; ) {
    const q = formula[i]!
    if (q === '"' || q === "'") {
      // A literal ("…", "" inside) or a quoted sheet name ('…', '' inside): copied as is.
      let j = i + 1
      for (; j < formula.length; j++)
        if (formula[j] === q) {
          if (formula[j + 1] === q) j++
          else break
        }
      out += shiftPlain(plain, dr, dc) + formula.slice(i, j + 1)
      plain = ''
      i = j + 1
    } else {
      plain += q
      i++
    }
  }
  return out + shiftPlain(plain, dr, dc)
}
