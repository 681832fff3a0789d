import { restoreFormula } from './formula.js'

/** One header the reader had to change, so the UI can show it (rule CSV4). */
export interface RenamedHeader {
  index: number
  from: string
  to: string
}

/**
 * Trims a header cell (spaces, no-break and ideographic spaces, a stray BOM) and undoes our own formula
 * neutralisation, so an exported `'=备注` header reads back as `=备注`.
 */
export function cleanHeaderName(raw: string): string {
  return restoreFormula(
    raw
      .replace(/^\uFEFF/, '')
      .replace(/[\s\u00a0\u3000]+/g, ' ')
      .trim(),
  )
}

/**
 * Makes header names non-empty and unique: an empty name becomes `列3` (its 1-based position) and a
 * repeated one gets ` (2)`, ` (3)`… Every change is reported.
 * @example makeUniqueHeaders(['名称', '', '名称']).names // ['名称', '列2', '名称 (2)']
 */
export function makeUniqueHeaders(raw: readonly string[]): {
  names: string[]
  renamed: RenamedHeader[]
} {
  const cleaned = raw.map(cleanHeaderName)
  const taken = new Set<string>()
  for (const c of cleaned) if (c !== '') taken.add(c.toLowerCase())
  const seen = new Set<string>()
  const names: string[] = []
  const renamed: RenamedHeader[] = []
  cleaned.forEach((c, index) => {
    let name = c
    if (name === '') {
      name = `列${index + 1}`
      for (let k = 2; taken.has(name.toLowerCase()) || seen.has(name.toLowerCase()); k++)
        name = `列${index + 1} (${k})`
    } else if (seen.has(name.toLowerCase())) {
      let k = 2
      while (taken.has(`${c} (${k})`.toLowerCase()) || seen.has(`${c} (${k})`.toLowerCase())) k++
      name = `${c} (${k})`
    }
    seen.add(name.toLowerCase())
    if (name !== c) renamed.push({ index, from: raw[index] ?? '', to: name })
    names.push(name)
  })
  return { names, renamed }
}
