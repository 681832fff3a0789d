import type { ServerResponse } from 'node:http'
import { exportSheetCsv, type Workbook } from '@taizhang/shared'
import { coversWorkbook, WORKBOOK_ID } from '../auth/tokens.js'
import { type ApiCaller, requireWorkbook } from './apiAuth.js'
import { ApiError, sendJson } from './errors.js'
import { apiColumn, columnKeys, findSheet, openCopy, workbookUpdatedAt } from './readWorkbook.js'
import type { WorkbookSource } from './WorkbookSource.js'

/** One entry of `GET /api/workbooks`. */
export interface WorkbookListEntry {
  id: string
  title: string
  createdAt: number
  updatedAt: number
  role: ApiCaller['role']
}

/** `GET /api/workbooks`: the stored workbooks the caller's token covers, newest change first. */
export async function listWorkbooks(
  caller: ApiCaller,
  source: WorkbookSource,
): Promise<WorkbookListEntry[]> {
  const ids =
    caller.workbook === '*'
      ? await source.list()
      : WORKBOOK_ID.test(caller.workbook)
        ? [caller.workbook]
        : []
  const out: WorkbookListEntry[] = []
  for (const id of ids) {
    if (!coversWorkbook({ ...caller, expiresAt: 0 }, id)) continue
    const updates = await source.read(id)
    const wb = updates && openCopy(updates)
    if (!wb) continue
    try {
      const meta = wb.meta()
      out.push({
        id,
        title: meta.title,
        createdAt: meta.createdAt,
        updatedAt: workbookUpdatedAt(wb),
        role: caller.role,
      })
    } finally {
      wb.destroy()
    }
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id))
}

/** Opens one workbook for a caller: 400 for a bad id, 403 if not covered, 404 if not stored. */
export async function openWorkbookFor(
  caller: ApiCaller,
  id: string,
  source: WorkbookSource,
): Promise<Workbook> {
  if (!WORKBOOK_ID.test(id)) throw new ApiError('bad-workbook-id')
  requireWorkbook(caller, id)
  const updates = await source.read(id)
  const wb = updates && openCopy(updates)
  if (!wb) throw new ApiError('workbook-not-found')
  return wb
}

/** `GET /api/workbooks/<id>`: title, times, role, and each sheet with its row count and columns. */
export function describeWorkbook(wb: Workbook, id: string, caller: ApiCaller) {
  const meta = wb.meta()
  return {
    id,
    title: meta.title,
    createdAt: meta.createdAt,
    updatedAt: workbookUpdatedAt(wb),
    schemaVersion: meta.schemaVersion,
    role: caller.role,
    sheets: wb.listSheets().map((info) => {
      const sheet = wb.sheet(info.id)
      return {
        id: info.id,
        name: info.name,
        rowCount: sheet.rowCount(),
        columns: sheet.columns().map(apiColumn),
      }
    }),
  }
}

/** Which representation the client asked for; null when it accepts neither JSON nor CSV. */
export function pickFormat(
  accept: string | undefined,
  query: string | null,
): 'json' | 'csv' | null {
  if (query === 'csv') return 'csv'
  if (query === 'json') return 'json'
  if (!accept) return 'json'
  const types = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
      const q = params.find((p) => p.startsWith('q='))
      return { type, q: q ? Number(q.slice(2)) : 1 }
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { type } of types) {
    if (type === 'text/csv') return 'csv'
    if (type === 'application/json' || type === 'application/*' || type === '*/*') return 'json'
  }
  return null
}

/**
 * `GET /api/workbooks/<id>/sheets/<sheet>`: the sheet's rows as JSON (values as stored: numbers,
 * ISO dates, booleans, enum values), or the same CSV the app's export writes (UTF-8 with BOM).
 */
export function sendSheet(
  res: ServerResponse,
  wb: Workbook,
  id: string,
  sheetRef: string,
  format: 'json' | 'csv',
): void {
  const sheet = findSheet(wb, sheetRef)
  if (!sheet) throw new ApiError('sheet-not-found')
  if (format === 'csv') {
    const { bytes } = exportSheetCsv(wb, sheet.id, { encoding: 'utf-8', bom: true })
    const filename = encodeURIComponent(`${wb.meta().title || id}-${sheet.name}.csv`)
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `inline; filename*=UTF-8''${filename}`,
      'cache-control': 'no-store',
      'content-length': bytes.length,
    })
    res.end(bytes)
    return
  }
  const cols = sheet.columns()
  const keys = columnKeys(cols)
  const rows = sheet.readRows().map((r) => {
    const cells: Record<string, unknown> = {}
    cols.forEach((c, i) => {
      cells[keys[i] as string] = r.cells[c.id] ?? null
    })
    return { id: r.id, cells }
  })
  sendJson(res, 200, {
    workbook: { id, title: wb.meta().title },
    sheet: { id: sheet.id, name: sheet.name },
    columns: cols.map((c, i) => ({ ...apiColumn(c), key: keys[i] })),
    rows,
  })
}
