import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
// versions (issue 13 §3)
import type { VersionKeeper } from '../versions/VersionKeeper.js'
import { handleVersions } from '../versions/versionsApi.js'
import { type ApiAuthDeps, authenticate } from './apiAuth.js'
import { listConflicts } from './conflicts.js'
import { ApiError, sendError, sendJson } from './errors.js'
import { cellHistoryOf } from './history.js'
import { findSheet } from './readWorkbook.js'
import type { WorkbookSource } from './WorkbookSource.js'
import {
  describeWorkbook,
  listWorkbooks,
  openWorkbookFor,
  pickFormat,
  sendSheet,
} from './workbooks.js'

export interface ApiDeps extends ApiAuthDeps {
  /** Null when the server was composed without storage access: every route answers 503. */
  source: WorkbookSource | null
  log: Logger
  /** versions (issue 13 §3): absent when the server keeps no versions (those routes answer 503). */
  versions?: VersionKeeper | null
}

/** The read API's path prefix; `server.ts` hands every request under it to `handleApi`. */
export const API_PREFIX = '/api/workbooks'

/** Whether `pathname` belongs to the read API. */
export function isApiPath(pathname: string): boolean {
  return pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)
}

/**
 * The read API of docs/API.md: authenticate, route on the path's segments, answer JSON (or CSV),
 * and turn every failure into a 4xx/5xx with zh-CN and English messages, never a crash.
 */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDeps,
): Promise<void> {
  try {
    await dispatch(req, res, deps)
  } catch (err) {
    if (res.headersSent) {
      res.destroy()
      return
    }
    if (err instanceof ApiError) return sendError(res, err.code)
    deps.log.error({ err, url: req.url }, 'read API request failed')
    sendError(res, 'internal')
  }
}

async function dispatch(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x')
  let segments: string[]
  try {
    segments = url.pathname
      .slice(API_PREFIX.length)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s))
  } catch {
    throw new ApiError('bad-path')
  }
  // versions (issue 13 §3): GET/POST /api/workbooks/<id>/versions, GET …/versions/<vid>
  if (segments.length >= 2 && segments[1] === 'versions') {
    const caller = authenticate(req, url, deps)
    if (!deps.source) throw new ApiError('unavailable')
    return handleVersions(req, res, caller, segments[0]!, segments.slice(2), {
      versions: deps.versions,
      source: deps.source,
    })
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('method-not-allowed')
  const caller = authenticate(req, url, deps)
  const source = deps.source
  if (!source) throw new ApiError('unavailable')

  const [id, sub, sheetRef, ...rest] = segments
  if (id === undefined) {
    return sendJson(res, 200, { workbooks: await listWorkbooks(caller, source) })
  }
  // conflicts (issue 13 §5): GET /api/workbooks/<id>/conflicts
  if (sub === 'conflicts' && sheetRef === undefined) {
    const wb = await openWorkbookFor(caller, id, source)
    try {
      return sendJson(res, 200, listConflicts(wb, url.searchParams.get('all') === '1'))
    } finally {
      wb.destroy()
    }
  }
  // cell history (issue 13 §5): GET /api/workbooks/<id>/sheets/<sheet>/history?row=&col=
  if (sub === 'sheets' && sheetRef !== undefined && rest.length === 1 && rest[0] === 'history') {
    const wb = await openWorkbookFor(caller, id, source)
    try {
      const sheet = findSheet(wb, sheetRef)
      if (!sheet) throw new ApiError('sheet-not-found')
      const q = url.searchParams
      return sendJson(res, 200, cellHistoryOf(wb, sheet, q.get('row'), q.get('col')))
    } finally {
      wb.destroy()
    }
  }
  if (rest.length > 0 || (sub !== undefined && sub !== 'sheets')) throw new ApiError('not-found')
  if (sub === 'sheets' && sheetRef === undefined) throw new ApiError('not-found')
  // Checked before the workbook is read, so a client that takes only CSV learns it at once.
  const format =
    sheetRef === undefined ? 'json' : pickFormat(req.headers.accept, url.searchParams.get('format'))
  if (!format) throw new ApiError('not-acceptable')
  const wb = await openWorkbookFor(caller, id, source)
  try {
    if (sheetRef === undefined) return sendJson(res, 200, describeWorkbook(wb, id, caller))
    sendSheet(res, wb, id, sheetRef, format)
  } finally {
    wb.destroy()
  }
}
