/**
 * Text normalisation before parsing: full-width folding, whitespace, the "nothing here" markers
 * (`—`, `-`, `/`, `无`, `N/A`) that are an empty cell in every non-text column, and the character tests the
 * fast paths use.
 */

export const EMPTY_MARKERS = new Set(['', '-', '--', '—', '——', '–', '/', '无', 'n/a'])

const NEEDS_NORMALIZING = /[\uff01-\uff5e\u3000\uffe5\u2212]/
const COLLAPSIBLE_SPACE = /\s\s|[^\S ]|^\s|\s$/

/**
 * Fold full-width ASCII (digits, latin letters, punctuation, `　`) to half-width, `￥` to `¥` and `−` to `-`,
 * collapse runs of whitespace to one space, and trim. Letter case is kept.
 * @example normalizeText('　（１２３）ＡＢＣ ') // '(123)ABC'
 */
export function normalizeText(s: string): string {
  // Fast path: most cells are plain half-width text with single spaces.
  if (!NEEDS_NORMALIZING.test(s))
    return COLLAPSIBLE_SPACE.test(s) ? s.replace(/\s+/g, ' ').trim() : s
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0)
    else if (c === 0x3000) out += ' '
    else if (c === 0xffe5) out += '¥'
    else if (c === 0x2212) out += '-'
    else out += ch
  }
  return out.replace(/\s+/g, ' ').trim()
}

/** Whether an input means "empty" in a non-text column: blank, or a marker like `—`, `-`, `/`, `无`. */
export function isBlankInput(input: string): boolean {
  return EMPTY_MARKERS.has(normalizeText(input).toLowerCase())
}

/** Whether `text` is empty or whitespace only, without trimming when its ends are visibly not. */
export function isBlankText(text: string): boolean {
  const n = text.length
  if (n === 0) return true
  const a = text.charCodeAt(0)
  if ((a > 32 && a < 127) || (a > 0x3000 && a !== 0xfeff)) return false
  return text.trim() === ''
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
