/**
 * How a sheet's columns go onto A4 pages (issue #15 §5): all on one page when they fit, scaled
 * down a little when they almost fit, else split in order into groups that each fit, every group
 * repeating the first column so a printed row can be told apart on any page.
 */

/** Printable width of A4 landscape (297 mm) with 10 mm margins, in CSS pixels (96 per inch). */
export const A4_LANDSCAPE_WIDTH_PX = Math.floor(((297 - 20) / 25.4) * 96)
/** Scale at which text is still readable on paper: below it, columns are split across pages. */
export const MIN_PRINT_SCALE = 0.7

export interface ColumnPages {
  /** Column indexes per page group, in order; the first column is repeated on later groups. */
  groups: number[][]
  /** Scale applied to every group (1 = the grid's own widths). */
  scale: number
}

export function planColumnPages(
  widths: readonly number[],
  pageWidth = A4_LANDSCAPE_WIDTH_PX,
): ColumnPages {
  const total = widths.reduce((a, b) => a + b, 0)
  if (widths.length === 0) return { groups: [], scale: 1 }
  if (total <= pageWidth) return { groups: [widths.map((_, i) => i)], scale: 1 }
  if (total * MIN_PRINT_SCALE <= pageWidth)
    return { groups: [widths.map((_, i) => i)], scale: pageWidth / total }
  // Split at the readable scale: each later group starts with the first column.
  const room = pageWidth / MIN_PRINT_SCALE
  const first = widths[0]!
  const groups: number[][] = []
  let current: number[] = [0]
  let used = first
  for (let i = 1; i < widths.length; i++) {
    const w = widths[i]!
    if (used + w > room && current.length > 1) {
      groups.push(current)
      current = [0]
      used = first
    }
    current.push(i)
    used += w
  }
  groups.push(current)
  return { groups, scale: MIN_PRINT_SCALE }
}
