/**
 * Formula-injection neutralisation for exported text (rule CSV9) and its inverse on import (CSV10).
 *
 * A spreadsheet treats a cell starting with `=`, `+`, `-`, `@`, tab or CR as a formula. We prefix a `'`
 * to every *line* of a text cell that starts so, because papaparse's `escapeFormulae` only looks at the
 * first character and misses `"备注\n=HYPERLINK(…)"`. Lines that already start with `'` before such a
 * character get one more `'`, so the mapping is reversible: import strips exactly one `'` from each line
 * matching `^'+[=+\-@\t\r]`, and export ∘ import is the identity. Numbers never pass through here: a
 * number column's -5 is written as `-5` (escaping numbers is a known way to corrupt negatives).
 */

const DANGEROUS = /^'*[=+\-@\t\r]/
const ESCAPED = /^'+[=+\-@\t\r]/

function mapLines(text: string, test: RegExp, fn: (line: string) => string): string {
  if (text.indexOf('\n') === -1) return test.test(text) ? fn(text) : text
  const lines = text.split('\n')
  let changed = false
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    if (test.test(l)) {
      lines[i] = fn(l)
      changed = true
    }
  }
  return changed ? lines.join('\n') : text
}

/** True when some line of `text` would be read as a formula by Excel, WPS or LibreOffice. */
export function isFormulaLike(text: string): boolean {
  if (DANGEROUS.test(text) && !text.startsWith("'")) return true
  return text.split('\n').some((l) => /^[=+\-@\t\r]/.test(l))
}

/** First characters that can start a dangerous line: = + - @ tab CR and the escape '. */
function mayStartFormula(c: number): boolean {
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 39
}

/** Prefixes `'` to every line that starts like a formula (or like an already-escaped one). */
export function neutraliseFormula(text: string): string {
  if (text === '') return text
  // Fast path for the common single-line cell that starts with an ordinary character.
  if (!mayStartFormula(text.charCodeAt(0)) && text.indexOf('\n') === -1) return text
  return mapLines(text, DANGEROUS, (l) => "'" + l)
}

/** The inverse of `neutraliseFormula`: removes one `'` from each escaped line. */
export function restoreFormula(text: string): string {
  if (text.indexOf("'") === -1) return text
  return mapLines(text, ESCAPED, (l) => l.slice(1))
}

/**
 * For text read from a typed source (an .xlsx string cell) that the CSV import then `restoreFormula`s:
 * adds one `'` to each already-escaped line, so the restore gives back exactly the cell's text.
 */
export function protectEscapes(text: string): string {
  if (text.indexOf("'") === -1) return text
  return mapLines(text, ESCAPED, (l) => "'" + l)
}
