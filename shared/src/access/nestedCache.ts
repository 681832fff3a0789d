/**
 * The access checker's caches (checkChange.ts: plans per identity and sheet, lock inputs per
 * sheet, period and station): keyed by three strings the caller already holds, as maps in maps —
 * hashing a freshly joined key on every check was the checker's largest cost
 * (bench/access/inprocess.bench.ts).
 */

/** Cached plans and lock inputs are dropped past this many entries (many users, many periods). */
const CACHE_MAX = 5000

/** A cache keyed by three strings, as maps in maps; emptied whole past `CACHE_MAX` entries. */
export class NestedCache<V> {
  private readonly root = new Map<string, Map<string, Map<string, V>>>()
  private size = 0

  get(a: string, b: string, c: string): V | undefined {
    return this.root.get(a)?.get(b)?.get(c)
  }

  set(a: string, b: string, c: string, value: V): void {
    if (this.size >= CACHE_MAX) this.clear()
    let byB = this.root.get(a)
    if (!byB) {
      byB = new Map()
      this.root.set(a, byB)
    }
    let byC = byB.get(b)
    if (!byC) {
      byC = new Map()
      byB.set(b, byC)
    }
    if (!byC.has(c)) this.size++
    byC.set(c, value)
  }

  clear(): void {
    this.root.clear()
    this.size = 0
  }
}
