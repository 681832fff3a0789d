/**
 * A small Result type for expected failures, which are values rather than exceptions (after tldraw's
 * `Result`). A `ParseResult` from `parseValue` is assignable to `Result<CellValue, ParseError>`.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E }

/** Helpers for {@link Result}, grouped so that their short names do not crowd the package's exports. */
export const Result = {
  /** A success carrying `value`. */
  ok<T>(value: T): { ok: true; value: T } {
    return { ok: true, value }
  },
  /** A failure carrying `error`. */
  err<E>(error: E): { ok: false; error: E } {
    return { ok: false, error }
  },
  /** Transform the value of a success; failures pass through. */
  map<T, U, E>(r: Result<T, E>, f: (value: T) => U): Result<U, E> {
    return r.ok ? { ok: true, value: f(r.value) } : r
  },
  /** Chain a step that may itself fail. */
  flatMap<T, U, E>(r: Result<T, E>, f: (value: T) => Result<U, E>): Result<U, E> {
    return r.ok ? f(r.value) : r
  },
  /** The value of a success, or `fallback`. */
  unwrapOr<T, E>(r: Result<T, E>, fallback: T): T {
    return r.ok ? r.value : fallback
  },
  /** Split a list of results into values and errors, keeping order. */
  partition<T, E>(results: readonly Result<T, E>[]): { values: T[]; errors: E[] } {
    const values: T[] = []
    const errors: E[] = []
    for (const r of results) {
      if (r.ok) values.push(r.value)
      else errors.push(r.error)
    }
    return { values, errors }
  },
} as const

/** Whether `r` is a success (narrows the type). */
export function isOk<T, E>(r: Result<T, E>): r is { ok: true; value: T } {
  return r.ok
}

/** Whether `r` is a failure (narrows the type). */
export function isErr<T, E>(r: Result<T, E>): r is { ok: false; error: E } {
  return !r.ok
}
