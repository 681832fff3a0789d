import type { Component } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'

/** What a toolbar extension receives: the open workbook and the sheet on screen. */
export interface ToolbarExtensionProps {
  session: WorkbookSession
  /** The sheet shown in the grid, or null when the workbook has none. */
  sheetId: () => string | null
  /** Switch the view to a sheet (e.g. after importing into a new one). */
  selectSheet: (sheetId: string) => void
  /** Row ids as the grid shows them now (its filter and sort applied), or null before it loads. */
  visibleRowIds?: () => string[] | null
}

/**
 * Components mounted at the right end of the workbook toolbar, in order. Other features (CSV
 * import/export in web/src/csv) register themselves here from their own module:
 *
 * @example
 * import { toolbarExtensions } from '../app/toolbarExtensions'
 * toolbarExtensions.push(CsvMenu)
 */
export const toolbarExtensions: Component<ToolbarExtensionProps>[] = []
