/**
 * What compiling an expression passes around: the compiled form of one node (`Compiled`), the compile
 * error it throws (`CompileError`, caught once in `compileExpression`) and the context that name
 * resolution (resolveNames.ts) shares with the evaluator (evaluate.ts).
 */
import type { ExprError, Node, ParsedExpr } from './parse.js'
import type { Val } from './runtime.js'
import type { ExprScope, SheetSource } from './scope.js'

export interface Compiled {
  fn: (row: string) => Val
  /** The sheet whose rows this yields (a reference column, `rec`, LOOKUP). */
  ref?: SheetSource
  list?: boolean
  record?: boolean
}

export class CompileError {
  constructor(readonly error: ExprError) {}
}

/** One compilation: its source and scope, what it found it reads, and how it compiles a sub-node. */
export interface CompileContext {
  readonly expr: ParsedExpr
  readonly scope: ExprScope
  /** Column ids of `scope.sheet` read so far. */
  readonly reads: Set<string>
  /** Whether anything compiled so far reads another sheet. */
  readsOtherSheets: boolean
  /** Throws a `CompileError` placed at `name` in the source. */
  err(kind: ExprError['kind'], name: string, zh: string, en: string): never
  compile(node: Node): Compiled
}
