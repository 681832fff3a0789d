/** What the CSV benchmarks share: their size options, medians per key and the summary table. */

/** `--rows N --runs N` from the command line (defaults: 100,000 rows, 3 runs). */
export function benchSize(argv: readonly string[] = process.argv.slice(2)) {
  const arg = (name: string, dflt: number) => {
    const i = argv.indexOf(name)
    return i >= 0 ? Number(argv[i + 1]) || dflt : dflt
  }
  return { rows: arg('--rows', 100_000), runs: arg('--runs', 3) }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** The median of every key over several runs (all runs have the same keys). */
export function medians(runs: readonly Record<string, number>[]): Record<string, number> {
  const med: Record<string, number> = {}
  for (const k of Object.keys(runs[0] ?? {})) med[k] = median(runs.map((r) => r[k]!))
  return med
}

const ratio = (a: number, b: number) => +(a / b).toFixed(2)

/**
 * The import and export figures of one encoding. `papaparse`, `read` and `unparse` name the keys
 * that hold papaparse alone, our decode + parse, and papaparse's unparse (they differ per runner).
 */
export function csvSummary(
  med: Record<string, number>,
  keys: { papaparse: string; read: string; unparse: string },
) {
  const papaparse = med[keys.papaparse]!
  const seededTotal = +(med.importMs! - med.applyMs! + med.applySeededIdsMs!).toFixed(1)
  return {
    fileMB: +(med.fileBytes! / 1e6).toFixed(2),
    loadAverage: med.loadAverage,
    papaparseAloneMs: papaparse,
    decodeParseMs: med[keys.read],
    planMs: med.planMs,
    applyMs: med.applyMs,
    applySeededIdsMs: med.applySeededIdsMs,
    importTotalSeededIdsMs: seededTotal,
    importRatioSeededIds: ratio(seededTotal, papaparse),
    importTotalMs: med.importMs,
    importRatio: ratio(med.importMs!, papaparse),
    decodeParseRatio: ratio(med[keys.read]!, papaparse),
    exportMs: med.exportMs,
    exportRowsMs: med.exportRowsMs,
    exportWriteMs: med.exportWriteMs,
    exportEncodeMs: med.exportEncodeMs,
    papaparseUnparseMs: med[keys.unparse],
    exportRatio: ratio(med.exportMs!, med[keys.unparse]!),
  }
}
