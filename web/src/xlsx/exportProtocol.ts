import type { XlsxExportResult, XlsxSheetInput } from '@taizhang/shared/xlsx'

/** Main thread → export worker: each sheet, then its rows in slices, then write. */
export type ToExportWorker =
  | { type: 'sheet'; name: string; header: string[]; widths: number[] }
  | { type: 'rows'; rows: XlsxSheetInput['rows'] }
  | { type: 'write'; title: string; titleRow: boolean }

export type FromExportWorker =
  | { type: 'done'; bytes: Uint8Array; sheets: XlsxExportResult['sheets'] }
  | { type: 'error'; message: string }
