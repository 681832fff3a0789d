/**
 * Parsing the expression language of computed columns, rules, key figures and (issue 16) access rules.
 *
 * The parser is jsep (https://github.com/EricSmekens/jsep), chosen because it is small (~9 KB), kept up,
 * has no dependencies, builds an AST and never evaluates anything (no `eval`, no `Function`), and treats
 * every non-ASCII character as an identifier character, so `服务人次 / 持证社工人数` and `站点.区县`
 * parse as they are written. Evaluation is ours (evaluate.ts) over that AST.
 *
 * Additions on top of jsep's JavaScript-like grammar, all done before jsep sees the text:
 * - `[any name]` quotes a column name with spaces or ASCII punctuation: `[服务 人次 (次)] > 0`;
 * - Excel habits: `=` and `<>` compare, `≥ ≤ ≠` and full-width `，＞＜＝` are folded to ASCII.
 */
import jsep from 'jsep'

/** A position in the text the user typed (0-based, UTF-16 units) and a length to underline. */
export interface ExprLocation {
  at: number
  length: number
}

/** An expression error shown where the expression is typed, in zh-CN and English. */
export interface ExprError extends ExprLocation {
  kind: ExprErrorKind
  message: { zh: string; en: string }
}

export const ExprErrorKinds = {
  syntax: 'syntax',
  unknownColumn: 'unknown-column',
  unknownFunction: 'unknown-function',
  arity: 'arity',
  notReference: 'not-reference',
  unsupported: 'unsupported',
  empty: 'empty',
} as const
export type ExprErrorKind = (typeof ExprErrorKinds)[keyof typeof ExprErrorKinds]

export type Node = jsep.Expression

/** A parsed expression: its AST, the bracket-quoted names (placeholder → name), and the source. */
export interface ParsedExpr {
  source: string
  ast: Node
  quoted: ReadonlyMap<string, string>
}

let configured = false
function configure(): void {
  if (configured) return
  configured = true
  // Excel's `=` and `<>`: the longest operator wins in jsep, so `==`, `<=` and `>=` still parse.
  jsep.addBinaryOp('=', 6)
  jsep.addBinaryOp('<>', 6)
  // Bitwise operators mean nothing in a ledger and would hide typos (`a | b`).
  for (const op of ['|', '^', '&', '<<', '>>', '>>>', '??']) jsep.removeBinaryOp(op)
  jsep.removeUnaryOp('~')
}

const QUOTED_PREFIX = '__q'
const FOLD: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '<>',
  '，': ',',
  '＞': '>',
  '＜': '<',
  '＝': '=',
}

/**
 * Fold Excel habits and quote bracketed names, keeping a map from each output position to the input
 * position, so errors point at what the user typed. Strings are left alone.
 */
function prepare(src: string): { text: string; quoted: Map<string, string>; pos: number[] } {
  let text = ''
  const pos: number[] = []
  const quoted = new Map<string, string>()
  let i = 0
  const emit = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) pos.push(at)
    text += s
  }
  while (i < src.length) {
    const ch = src[i]!
    if (ch === '"' || ch === "'") {
      let j = i + 1
      while (j < src.length && src[j] !== ch) j += src[j] === '\\' ? 2 : 1
      const end = Math.min(j + 1, src.length)
      for (let k = i; k < end; k++) pos.push(k)
      text += src.slice(i, end)
      i = j + 1
      continue
    }
    if (ch === '[') {
      const j = src.indexOf(']', i + 1)
      if (j > i + 1) {
        const name = src.slice(i + 1, j).trim()
        const id = `${QUOTED_PREFIX}${quoted.size}`
        quoted.set(id, name)
        emit(id, i)
        i = j + 1
        continue
      }
    }
    const f = FOLD[ch]
    if (f !== undefined) emit(f, i)
    else {
      pos.push(i)
      text += ch
    }
    i++
  }
  pos.push(src.length)
  return { text, quoted, pos }
}

const SYNTAX_ZH: [RegExp, string][] = [
  [/^Unexpected "(.*)"$/, '此处不应出现“$1”'],
  [/^Expected expression after (.*)$/, '“$1”后面缺少内容'],
  [/^Expected (.*)$/, '缺少“$1”'],
  [/^Unclosed \((.*)$/, '括号没有闭合'],
  [/^Unclosed quote after "(.*)"$/, '引号没有闭合'],
  [/^Missing unary operator argument$/, '运算符后面缺少内容'],
  [/^Variable names cannot start with a number (.*)$/, '名称不能以数字开头（可用 [ ] 括起列名）'],
]

function syntaxMessage(description: string): string {
  for (const [re, zh] of SYNTAX_ZH) if (re.test(description)) return description.replace(re, zh)
  return `无法解析（${description}）`
}

/**
 * Parse an expression. Never throws: a syntax error is a value with its position in `source`.
 * @example parseExpression('服务人次 >= 服务活动')
 */
export function parseExpression(
  source: string,
): { ok: true; expr: ParsedExpr } | { ok: false; error: ExprError } {
  configure()
  if (typeof source !== 'string' || source.trim() === '') {
    return {
      ok: false,
      error: {
        kind: 'empty',
        at: 0,
        length: 0,
        message: { zh: '表达式为空', en: 'The expression is empty' },
      },
    }
  }
  const { text, quoted, pos } = prepare(source)
  try {
    const ast = jsep(text)
    if (ast.type === 'Compound') {
      // jsep reads `a b` as two expressions: there is an operator missing between them.
      return {
        ok: false,
        error: {
          kind: 'syntax',
          at: 0,
          length: source.length,
          message: {
            zh: '两个值之间缺少运算符（如 +、>=、&&）',
            en: 'An operator (such as +, >= or &&) is missing between two values',
          },
        },
      }
    }
    return { ok: true, expr: { source, ast, quoted } }
  } catch (e) {
    const err = e as { index?: number; description?: string; message?: string }
    const index = typeof err.index === 'number' ? err.index : 0
    const description = err.description ?? err.message ?? 'syntax error'
    const at = pos[Math.min(index, pos.length - 1)] ?? 0
    return {
      ok: false,
      error: {
        kind: 'syntax',
        at,
        length: 1,
        message: {
          zh: `第 ${at + 1} 个字符处：${syntaxMessage(description)}`,
          en: `At character ${at + 1}: ${description}`,
        },
      },
    }
  }
}

/** Where a name occurs in the source, for errors about identifiers (jsep nodes carry no position). */
export function locateName(expr: ParsedExpr, name: string): ExprLocation {
  for (const [id, quotedName] of expr.quoted) {
    if (id === name) {
      const at = expr.source.indexOf(`[`)
      const k = expr.source.indexOf(quotedName, at)
      return { at: Math.max(k, 0), length: quotedName.length }
    }
  }
  const at = expr.source.indexOf(name)
  return at >= 0 ? { at, length: name.length } : { at: 0, length: expr.source.length }
}

/** The user-facing spelling of an identifier (bracket-quoted names come back as typed). */
export function identifierName(expr: ParsedExpr, name: string): string {
  return expr.quoted.get(name) ?? name
}
