/**
 * Cells whose value is one of a known set: booleans (是/否 and their spellings), enum options (canonical
 * value after width and case folding) and references (a display name or row id of another sheet).
 */
import { EMPTY_MARKERS, normalizeText } from './normalizeText.js'
import {
  clip,
  done,
  fail,
  type ParseOptions,
  type ParseResult,
  type ValueColumn,
} from './valueTypes.js'

export const TRUE_WORDS = new Set(['是', '对', 'true', '1', '✓', '√', '✔', 'y', 'yes'])
export const FALSE_WORDS = new Set(['否', '错', 'false', '0', '×', '✗', '✘', 'n', 'no'])

export function parseBoolean(input: string): ParseResult {
  const s = normalizeText(input).toLowerCase()
  if (TRUE_WORDS.has(s)) return done(true, false)
  if (FALSE_WORDS.has(s)) return done(false, false)
  if (EMPTY_MARKERS.has(s)) return done(null, false)
  const c = clip(input)
  return fail('bad-boolean', input, `“${c}”应为“是”或“否”`, `"${c}" should be yes or no`)
}

export function parseEnum(input: string, column: ValueColumn): ParseResult {
  const options = column.constraints.options ?? []
  const exact = options.find((o) => o.value === input)
  if (exact) return done(exact.value, false)
  const key = normalizeText(input).toLowerCase()
  const folded = options.find((o) => normalizeText(o.value).toLowerCase() === key)
  if (folded) return done(folded.value, false)
  if (EMPTY_MARKERS.has(key)) return done(null, false)
  if (options.length === 0) return done(input.trim(), false)
  const c = clip(input)
  const shown = options.slice(0, 10).map((o) => o.value)
  const more = options.length > 10 ? '…' : ''
  return fail(
    'not-an-option',
    input,
    `“${c}”不是可选项（可选：${shown.join('、')}${more}）`,
    `"${c}" is not one of the options (${shown.join(', ')}${more})`,
  )
}

export function parseReference(input: string, opts: ParseOptions): ParseResult {
  const t = input.trim()
  if (EMPTY_MARKERS.has(normalizeText(t).toLowerCase())) return done(null, false)
  const resolved = opts.resolveReference?.(t)
  if (resolved !== undefined) return done(resolved, false)
  if (opts.referenceExists?.(t)) return done(t, false)
  if (!opts.resolveReference && !opts.referenceExists) return done(t, false)
  const c = clip(input)
  return fail('unknown-reference', input, `找不到“${c}”对应的记录`, `No row matches "${c}"`)
}
