/**
 * Key figures of the report page (汇报, issue 14 §4): expressions over summaries, in the same
 * expression language as computed columns. Each summary is a named record whose fields are its
 * measures' grand totals, so a figure reads `按区县汇总.服务人次合计 / 按区县汇总.行数计数`.
 *
 * Names: a summary's title and a measure's label with whitespace and punctuation dropped (the
 * language has no quoted names: `服务人次 合计` becomes `服务人次合计`); a measure over a plain
 * column is also reachable by that column's name when no other measure of the summary claims it.
 */
import { compileExpression, type SheetSource } from '../expr/evaluate.js'
import {
  type ExprError,
  identifierName,
  locateName,
  type Node,
  type ParsedExpr,
  parseExpression,
} from '../expr/parse.js'
import type { SummaryTable } from './summary.js'

/** A name the expression language reads as one identifier (letters, digits, `_`, CJK). */
export function figureName(text: string): string {
  const name = text.normalize('NFC').replace(/[^\p{L}\p{N}_]+/gu, '')
  return /^\p{N}/u.test(name) ? `_${name}` : name
}

export interface FigureSource {
  title: string
  /** The live table (its last row is the grand total), or null while the summary is broken. */
  table: SummaryTable | null
}

/** The records a figure expression can read: one per summary, its measures' grand totals. */
export function figureRoots(
  sources: readonly FigureSource[],
): Record<string, Record<string, number | null>> {
  const roots: Record<string, Record<string, number | null>> = {}
  for (const s of sources) {
    const name = figureName(s.title)
    if (!name || roots[name] || !s.table) continue
    const total = s.table.rows.at(-1)
    const record: Record<string, number | null> = {}
    const short = new Map<string, number>()
    s.table.measureLabels.forEach((label, i) => {
      const value = total?.values[i] ?? null
      record[figureName(label)] = value
      // `服务人次 合计` is also `服务人次` when it is the only measure over that column.
      const head = figureName(label.split(/\s+/)[0] ?? '')
      if (head) short.set(head, short.has(head) ? Number.NaN : i)
    })
    for (const [head, i] of short)
      if (!Number.isNaN(i) && !(head in record)) record[head] = total?.values[i] ?? null
    roots[name] = record
  }
  return roots
}

/** Every name a figure can use, `汇总.度量`, for the editor's hints. */
export function figureNames(roots: Record<string, Record<string, number | null>>): string[] {
  return Object.entries(roots).flatMap(([r, rec]) => Object.keys(rec).map((m) => `${r}.${m}`))
}

export type FigureResult = { ok: true; value: number | null } | { ok: false; error: ExprError }

/** The single row the figure is evaluated on: figures read records, not rows. */
const NO_ROWS: SheetSource = {
  id: '',
  name: '',
  columns: () => [],
  rowIds: () => [''],
  cell: () => undefined,
}

/**
 * Evaluate a figure expression. A missing grand total (an empty summary) reads as blank and makes
 * the figure blank; a bad expression or a non-number result is an error with a zh/en message.
 */
export function evaluateFigure(
  source: string,
  roots: Record<string, Record<string, number | null>>,
): FigureResult {
  const p = parseExpression(source)
  if (!p.ok) return p
  const unknown = unknownName(p.expr, p.expr.ast, roots)
  if (unknown) return { ok: false, error: unknown }
  const c = compileExpression(p.expr, {
    sheet: NO_ROWS,
    sheetById: () => undefined,
    sheetByName: () => undefined,
    roots,
  })
  if (!c.ok) return c
  const r = c.compiled.run('')
  if (!r.ok)
    return {
      ok: false,
      error: { kind: 'unsupported', at: 0, length: source.length, message: r.error.message },
    }
  const v = r.value
  if (v === null || v === undefined || v === '') return { ok: true, value: null }
  if (typeof v === 'number') return { ok: true, value: v }
  return {
    ok: false,
    error: {
      kind: 'unsupported',
      at: 0,
      length: source.length,
      message: { zh: '关键数字的结果必须是数字', en: 'A key figure must evaluate to a number' },
    },
  }
}

/** The first name that is no summary, or no measure of its summary (figures read nothing else). */
function unknownName(
  expr: ParsedExpr,
  node: Node,
  roots: Record<string, Record<string, number | null>>,
): ExprError | null {
  const at = (raw: string) => locateName(expr, raw)
  if (node.type === 'Identifier') {
    const raw = (node as unknown as { name: string }).name
    if (roots[raw]) return null
    const name = identifierName(expr, raw)
    return {
      kind: 'unknown-column',
      ...at(raw),
      message: {
        zh: `没有名为“${name}”的汇总表（写作 汇总表.度量）`,
        en: `No summary named "${name}" (write summary.measure)`,
      },
    }
  }
  if (node.type === 'MemberExpression') {
    const m = node as unknown as { object: Node; property: Node; computed: boolean }
    if (!m.computed && m.object.type === 'Identifier' && m.property.type === 'Identifier') {
      const root = (m.object as unknown as { name: string }).name
      const raw = (m.property as unknown as { name: string }).name
      const record = roots[root]
      if (record && !(raw in record)) {
        const name = identifierName(expr, raw)
        return {
          kind: 'unknown-column',
          ...at(raw),
          message: {
            zh: `汇总表“${identifierName(expr, root)}”没有度量“${name}”`,
            en: `Summary "${identifierName(expr, root)}" has no measure "${name}"`,
          },
        }
      }
      if (record) return null
    }
  }
  if (node.type === 'CallExpression') {
    // The callee is a function name, not a summary: check the arguments only.
    for (const a of (node as unknown as { arguments: Node[] }).arguments) {
      const e = unknownName(expr, a, roots)
      if (e) return e
    }
    return null
  }
  for (const v of Object.values(node)) {
    const children = Array.isArray(v) ? v : [v]
    for (const c of children) {
      if (c && typeof c === 'object' && typeof (c as Node).type === 'string') {
        const e = unknownName(expr, c as Node, roots)
        if (e) return e
      }
    }
  }
  return null
}
