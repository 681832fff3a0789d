/**
 * How a parsed CSV keeps its cells: column by column, each distinct string once. Ledger columns
 * repeat a few values (区县, 运营机构, 期间, 是/否, dates, round figures) thousands of times, so a
 * 100,000 × 12 file holds tens of thousands of strings instead of 1.2 million, and planning parses
 * each distinct value once. A column whose values hardly repeat (notes, ids) keeps one string per
 * row instead, so a dictionary never costs more than it saves.
 */

/** From this many distinct values on, a column more than half distinct stops using a dictionary. */
const PLAIN_MIN_DISTINCT = 4096

/**
 * A string that holds only its own characters. V8 makes substrings of 13 characters or more
 * "sliced" strings that keep their whole parent alive — here a decoded chunk of about a million
 * characters — so one kept field would keep its chunk. Concatenating and slicing copies it out.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
}

export class CsvColumnData {
  /** Dictionary mode: the distinct values (`''` is code 0). Plain mode: the value of each row. */
  private values: string[] = ['']
  private codes: Uint32Array | null = new Uint32Array(1024)
  private index: Map<string, number> | null = new Map([['', 0]])
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
    const index = this.index!
    let code = index.get(s)
    if (code === undefined) {
      code = this.values.length
      if (code >= PLAIN_MIN_DISTINCT && code * 2 > this.n) {
        this.toPlain()
        this.push(s)
        return
      }
      const own = ownString(s)
      this.values.push(own)
      index.set(own, code)
    }
    if (this.n === codes.length) {
      const grown = new Uint32Array(codes.length * 2)
      grown.set(codes)
      this.codes = grown
      grown[this.n++] = code
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
  dictionary(): { values: readonly string[]; codes: Uint32Array } | undefined {
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
