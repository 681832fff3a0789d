import type { XlsxExportResult, XlsxSheetHead, XlsxSlice } from '@taizhang/shared/xlsx'

/**
 * Main thread → export worker: the book, then each sheet's head and its rows in compact slices
 * (typed arrays transferred, not copied), then `finish`.
 */
export type ToExportWorker =
  | { type: 'book'; title: string; titleRow: boolean }
  | { type: 'sheet'; head: XlsxSheetHead }
  | { type: 'rows'; slice: XlsxSlice }
  | { type: 'finish' }

export type FromExportWorker =
  | { type: 'done'; bytes: Uint8Array; sheets: XlsxExportResult['sheets'] }
  | { type: 'error'; message: string }
