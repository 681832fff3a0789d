/**
 * The CSV worker's logic, separate from the worker global so tests can drive it in-process:
 * decode, parse and plan, posting only a summary, the first rows and the finished plan.
 */
import {
  bytesSource,
  CSV_PREVIEW_ROWS,
  type CsvByteSource,
  type CsvTable,
  planImport,
  readCsvSource,
  suggestMapping,
  tableRows,
} from '@taizhang/shared'
import { type FromWorker, PLAN_CHUNK_VALUES, type ToWorker } from './protocol'

/** Progress messages at most this often. */
const PROGRESS_EVERY_MS = 50

function blobSource(file: Blob): CsvByteSource {
  // Read slice by slice so memory stays near the file size, never the whole file twice.
  return {
    size: file.size,
    read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
  }
}

/**
 * An Excel workbook by name (.xlsx, .xlsm, and .xls/.et, which the reader refuses with how to save
 * as .xlsx) or by its first bytes (zip or OLE signature), whatever the file is called.
 */
async function isWorkbookFile(file: Blob): Promise<boolean> {
  const name = (file as File).name ?? ''
  if (/\.(xlsx|xlsm|xls|et)$/i.test(name)) return true
  if (file.size < 8) return false
  const h = new Uint8Array(await file.slice(0, 8).arrayBuffer())
  return (
    (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) ||
    (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0)
  )
}

export function createCsvWorkerCore(
  post: (msg: FromWorker, transfer?: Transferable[]) => void,
): (msg: ToWorker) => Promise<void> {
  let table: CsvTable | undefined
  let xlsx: typeof import('../xlsx/workerRead') | undefined
  /** The opened .xlsx, kept for other worksheets and options of the same file (workerRead.ts). */
  const books: import('../xlsx/workerRead').XlsxBookCache = {}
  return async (msg) => {
    if (msg.type === 'release') {
      table = undefined
      if (!msg.keepBook) books.current = undefined
      return
    }
    if (msg.type === 'read') {
      table = undefined
      if (await isWorkbookFile(msg.file)) {
        // SheetJS arrives with this chunk, on the first .xlsx only (issue #15 §3).
        xlsx ??= await import('../xlsx/workerRead')
        const r = await xlsx.readXlsxInWorker(
          msg.file,
          msg.settings.xlsx ?? { includeTotals: false, fillMerged: true },
          books,
        )
        if (!r.ok) {
          post({ type: 'read', ok: false, refusal: r.refusal })
          return
        }
        table = r.table
        const { data: _d, lines: _l, ...meta } = r.table
        post({
          type: 'read',
          ok: true,
          summary: {
            encoding: 'utf-8',
            encodingSource: 'detected',
            bytes: r.bytes,
            table: meta,
            preview: tableRows(r.table, 0, Math.min(r.table.rowCount, CSV_PREVIEW_ROWS)),
            mapping: suggestMapping(r.table, msg.columns),
            xlsx: { worksheets: r.worksheets, notes: r.notes },
          },
        })
        return
      }
      const source =
        msg.file.size < 64 * 1024
          ? bytesSource(new Uint8Array(await msg.file.arrayBuffer()))
          : blobSource(msg.file)
      let last = 0
      const r = await readCsvSource(source, msg.settings, {
        onProgress: (progress) => {
          const now = performance.now()
          if (now - last > PROGRESS_EVERY_MS) {
            last = now
            post({ type: 'progress', progress })
          }
        },
      })
      if (!r.ok) {
        post({ type: 'read', ok: false, refusal: r.refusal })
        return
      }
      table = r.table
      // The cells stay here (`data`, `lines`); the dialog gets the rest and the first rows.
      const { data: _data, lines: _lines, ...meta } = r.table
      post({
        type: 'read',
        ok: true,
        summary: {
          encoding: r.encoding,
          encodingSource: r.encodingSource,
          bytes: r.bytes,
          table: meta,
          preview: tableRows(r.table, 0, Math.min(r.table.rowCount, CSV_PREVIEW_ROWS)),
          mapping: suggestMapping(r.table, msg.columns),
        },
      })
      return
    }
    if (!table) {
      post({ type: 'error', message: 'no file read' })
      return
    }
    const { referenceNames, ...options } = msg.options
    const rows = msg.rows ?? []
    const snapshot = { columns: () => msg.columns, readRows: () => rows }
    const result = planImport(table, msg.mapping, snapshot, {
      ...options,
      ...(referenceNames
        ? { resolveReference: (colId: string, text: string) => referenceNames[colId]?.[text] }
        : {}),
    })
    if (!result.ok) {
      post({ type: 'plan', ok: false, refusal: result.refusal })
      return
    }
    // The plan is not kept here: its typed arrays move to the main thread (no copy).
    const { adds, ...rest } = result.plan
    adds.columns.forEach((column, index) => {
      if (column.kind === 'values') {
        const v = column.values
        post({ type: 'plan-column', index, column: { kind: 'values', values: [] } })
        for (let from = 0; from < v.length; from += PLAN_CHUNK_VALUES)
          post({
            type: 'plan-values',
            index,
            from,
            values: v.slice(from, from + PLAN_CHUNK_VALUES),
          })
      } else if (column.kind === 'dict') {
        // The codes may be the table's own (kept here for another plan): move a copy.
        const codes = column.codes.slice()
        post({ type: 'plan-column', index, column: { ...column, codes } }, [
          codes.buffer,
        ] as Transferable[])
      } else post({ type: 'plan-column', index, column }, [column.values.buffer] as Transferable[])
    })
    post({ type: 'plan', ok: true, plan: { ...rest, adds: { ...adds, columns: [] } } }, [
      adds.lines.buffer,
    ] as Transferable[])
  }
}
