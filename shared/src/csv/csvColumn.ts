/**
 * How a parsed CSV keeps its cells: column by column, each distinct string once. Ledger columns
 * repeat a few values (区县, 运营机构, 期间, 是/否, dates, round figures) thousands of times, so a
 * 100,000 × 12 file holds tens of thousands of strings instead of 1.2 million, and planning parses
 * each distinct value once. A column whose values hardly repeat (notes, ids) keeps one string per
 * row instead, so a dictionary never costs more than it saves.
 */

/** From this many distinct values on, a column more than half distinct stops using a dictionary. */
const PLAIN_MIN_DISTINCT = 4096

/** The first table: `''` is code 0. */
function firstTable(): Int32Array {
  const t = new Int32Array(64)
  t[hashString('') & 63] = 1
  return t
}

/**
 * A string that holds only its own characters. V8 makes substrings of 13 characters or more
 * "sliced" strings that keep their whole parent alive — here a decoded chunk of about a million
 * characters — so one kept field would keep its chunk. Concatenating and slicing copies it out.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
}

/** The hash of a whole string (FNV-1a over its UTF-16 units), for the dictionary's own table. */
function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h
}

/** A code per row, in the narrowest array that holds the codes so far. */
export type CsvCodes = Uint8Array | Uint16Array | Uint32Array

/** A code array of `length` rows, the narrowest that holds codes below `distinct`. */
export function newCodes(distinct: number, length: number): CsvCodes {
  return distinct <= 0x100
    ? new Uint8Array(length)
    : distinct <= 0x10000
      ? new Uint16Array(length)
      : new Uint32Array(length)
}

export class CsvColumnData {
  /** Dictionary mode: the distinct values (`''` is code 0). Plain mode: the value of each row. */
  private values: string[] = ['']
  /** One byte per row until code 256, two until code 65,536 (most ledger columns stay narrow). */
  private codes: CsvCodes | null = new Uint8Array(1024)
  /** The largest code `codes` can hold. */
  private codeMax = 0xff
  /**
   * Dictionary mode: an open-addressing table of code + 1 by hash (0: empty). Cheaper than a
   * `Map` here: V8 hashes and probes a fresh substring key in ~150 ns, this in a third of that.
   */
  private index: Int32Array | null = firstTable()
  private n = 0

  /** A column that starts after `rows` rows (a ragged row widened the table): they are empty. */
  constructor(rows = 0) {
    for (let r = 0; r < rows; r++) this.push('')
  }

  get length(): number {
    return this.n
  }

  push(s: string): void {
    const codes = this.codes
    if (codes === null) {
      this.values.push(ownString(s))
      this.n++
      return
    }
    let index = this.index!
    const values = this.values
    let mask = index.length - 1
    let at = hashString(s) & mask
    let code = -1
    for (;;) {
      const e = index[at]!
      if (e === 0) break
      if (values[e - 1] === s) {
        code = e - 1
        break
      }
      at = (at + 1) & mask
    }
    if (code < 0) {
      code = values.length
      if (code >= PLAIN_MIN_DISTINCT && code * 2 > this.n) {
        this.toPlain()
        this.push(s)
        return
      }
      values.push(ownString(s))
      index[at] = code + 1
      if (values.length * 2 > index.length) {
        // Grow and re-place every value.
        index = new Int32Array(index.length * 2)
        mask = index.length - 1
        for (let c = 0; c < values.length; c++) {
          let k = hashString(values[c]!) & mask
          while (index[k] !== 0) k = (k + 1) & mask
          index[k] = c + 1
        }
        this.index = index
      }
    }
    if (this.n === codes.length || code > this.codeMax) {
      // Grow, or widen for a code the array can't hold.
      const len = this.n === codes.length ? codes.length * 2 : codes.length
      if (code > this.codeMax) this.codeMax = code > 0xffff ? 0xffffffff : 0xffff
      const wide = newCodes(this.codeMax + 1, len)
      wide.set(codes)
      this.codes = wide
      wide[this.n++] = code
    } else codes[this.n++] = code
  }

  private toPlain(): void {
    const codes = this.codes!
    const dict = this.values
    const values = new Array<string>(this.n)
    for (let r = 0; r < this.n; r++) values[r] = dict[codes[r]!]!
    this.values = values
    this.codes = null
    this.index = null
  }

  /** The cell of row `r`. */
  get(r: number): string {
    const codes = this.codes
    return codes === null ? this.values[r]! : this.values[codes[r]!]!
  }

  /**
   * Dictionary mode: the distinct values and each row's index into them, for work done once per
   * distinct value. Undefined for a plain column.
   */
  dictionary(): { values: readonly string[]; codes: CsvCodes } | undefined {
    return this.codes === null ? undefined : { values: this.values, codes: this.codes }
  }

  /** Reading is over: the lookup index is no longer needed. */
  seal(): void {
    this.index = null
  }

  /** How many strings the column holds (distinct values, or rows in plain mode). */
  distinctCount(): number {
    return this.codes === null ? this.n : this.values.length
  }
}
