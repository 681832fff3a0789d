import type { ColumnType } from '../schema/columnTypes.js'

/**
 * The "no data" markers of Chinese ledgers (issue #15 §4): in a figure cell, `—`, `/`, `-` and the
 * full-width `－` (and the doubled `——`) mean "no figure", neither zero nor blank. An import into a
 * numeric column keeps them as the text they were (validation flags a text in a figure column) and
 * counts them; an export writes them back unchanged, so a round trip leaves the file as it was.
 */
export const NO_DATA_MARKERS: readonly string[] = ['—', '——', '/', '-', '－']

const MARKERS = new Set(NO_DATA_MARKERS)

/** Whether `text` (surrounding spaces ignored) is one of {@link NO_DATA_MARKERS}. */
export function isNoDataMarker(text: unknown): text is string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 8) return false
  return MARKERS.has(text.trim())
}

/** Column types whose cells keep a no-data marker instead of reading it as empty. */
export function keepsNoDataMarkers(type: ColumnType): boolean {
  return type === 'number' || type === 'integer' || type === 'percent' || type === 'money'
}
