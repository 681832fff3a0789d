/** Throws when a broken invariant is found (never for expected failures: those are values). */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`Taizhang invariant: ${message}`)
}

/** Closes every switch over a union; the compiler proves it unreachable. */
export function assertNever(x: never): never {
  throw new Error(`Taizhang: unexpected value ${JSON.stringify(x)}`)
}
