import Papa from 'papaparse'

/** Field delimiters we detect (rule CSV3). */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number]
export type CsvNewline = '\r\n' | '\n' | '\r'

export function isCsvDelimiter(x: string): x is CsvDelimiter {
  return (CSV_DELIMITERS as readonly string[]).includes(x)
}

/** Accepts `,` `;` `|`, a real tab, or the words people type on a command line (`tab`, `\t`, `semicolon`). */
export function parseDelimiterLabel(label: string): CsvDelimiter | undefined {
  const l = label.toLowerCase()
  if (l === 'tab' || l === '\\t' || l === '\t') return '\t'
  if (l === 'comma') return ','
  if (l === 'semicolon') return ';'
  if (l === 'pipe') return '|'
  return isCsvDelimiter(label) ? label : undefined
}

/**
 * Excel's `sep=;` first line (written by Excel in locales with decimal commas). Returns the delimiter
 * and how many characters the line takes, or undefined.
 */
export function readSepLine(text: string): { delimiter: string; length: number } | undefined {
  const m = /^sep=(.)(\r\n|\n|\r|$)/i.exec(text)
  if (!m) return undefined
  return { delimiter: m[1]!, length: m[0].length }
}

/** The line break used outside quoted fields (papaparse's rule: the most common one wins). */
export function guessNewline(sample: string): CsvNewline {
  const s = sample.slice(0, 1024 * 1024).replace(/"[^"]*"/g, '')
  const r = s.split('\r')
  const n = s.split('\n')
  if (r.length === 1 || (n.length > 1 && n[0]!.length < r[0]!.length)) return '\n'
  let crlf = 0
  for (let i = 1; i < r.length; i++) if (r[i]![0] === '\n') crlf++
  return crlf >= (r.length - 1) / 2 ? '\r\n' : '\r'
}

function parseSample(sample: string, delimiter: string, newline: CsvNewline, complete: boolean) {
  const parser = new Papa.Parser({ delimiter, newline, preview: 60 })
  return parser.parse(sample, 0, !complete).data as string[][]
}

function isBlankRow(row: readonly string[]): boolean {
  for (const f of row) if (f.trim() !== '') return false
  return true
}

/**
 * Picks the delimiter whose first rows have the most consistent field count (header row included,
 * which is what separates `;` with decimal commas from `,`). Ties go to the order of CSV_DELIMITERS.
 */
export function detectDelimiter(
  sample: string,
  newline: CsvNewline,
  complete: boolean,
): CsvDelimiter {
  let best: CsvDelimiter = ','
  let bestScore = -1
  for (const d of CSV_DELIMITERS) {
    const rows = parseSample(sample, d, newline, complete).filter((r) => !isBlankRow(r))
    if (rows.length === 0) continue
    const counts = new Map<number, number>()
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1)
    let mode = 1
    let modeCount = 0
    for (const [len, c] of counts)
      if (c > modeCount || (c === modeCount && len > mode)) [mode, modeCount] = [len, c]
    if (mode < 2) continue
    const consistency = modeCount / rows.length
    const firstMatches = rows[0]!.length === mode ? 1 : 0
    // Consistency dominates; a header that agrees with the data and more fields break ties.
    const score = consistency * 1000 + firstMatches * 100 + Math.min(mode, 99)
    if (score > bestScore) {
      best = d
      bestScore = score
    }
  }
  return best
}

/** Looks like a typed value rather than a header label: a number, percent, 万-amount or a date. */
export function looksLikeValue(cell: string): boolean {
  const s = cell.trim().normalize('NFKC')
  if (s === '') return false
  if (/^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(%|万|万元|元|亿)?$/.test(s)) return true
  if (/^\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?$/.test(s)) return true
  if (/^\d{4}-?Q[1-4]$/i.test(s)) return true
  return false
}

/**
 * Decides whether the first row is a header (rule CSV3): yes when some column holds a label on top of
 * typed data, or when the first row holds no typed value at all; no when it looks like data.
 */
export function detectHeader(rows: readonly (readonly string[])[]): boolean {
  const first = rows[0]
  if (!first) return true
  const rest = rows.slice(1, 51)
  for (let c = 0; c < first.length; c++) {
    const label = first[c] ?? ''
    if (label.trim() === '' || looksLikeValue(label)) continue
    let typed = 0
    let filled = 0
    for (const r of rest) {
      const v = r[c] ?? ''
      if (v.trim() === '') continue
      filled++
      if (looksLikeValue(v)) typed++
    }
    if (filled > 0 && typed / filled >= 0.8) return true
  }
  if (!first.some(looksLikeValue)) return true
  // Year columns ("站点, 2023, 2024") are labels when every other cell is a label and none repeats.
  const onlyYears = first.every((c) => !looksLikeValue(c) || /^(19|20)\d{2}年?$/.test(c.trim()))
  const labelled = first.some((c) => c.trim() !== '' && !looksLikeValue(c))
  return (
    onlyYears &&
    labelled &&
    first.every((c) => c.trim() !== '') &&
    new Set(first).size === first.length
  )
}
