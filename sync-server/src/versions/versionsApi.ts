import type { IncomingMessage, ServerResponse } from 'node:http'
import { type ApiCaller, requireWorkbook } from '../api/apiAuth.js'
import { ApiError, sendJson } from '../api/errors.js'
import type { WorkbookSource } from '../api/WorkbookSource.js'
import { WORKBOOK_ID } from '../auth/tokens.js'
import type { VersionKeeper } from './VersionKeeper.js'
import { VERSION_ID, type VersionKind } from './VersionStore.js'

/** Largest accepted POST body (a name and a kind). */
const MAX_BODY_BYTES = 16 * 1024
/** Longest version name (characters). */
export const MAX_VERSION_NAME = 100
const CREATABLE: readonly VersionKind[] = ['manual', 'import', 'rollback']

export interface VersionsApiDeps {
  versions?: VersionKeeper | null
  source: WorkbookSource
}

/**
 * The versions routes of docs/API.md (issue 13 §3), under /api/workbooks/<id>/versions:
 *   GET  …/versions        → 200 {versions: [...]} newest first (viewer or better)
 *   POST …/versions        → 201 {version} {name?, kind?: manual|import|rollback} (editors)
 *   GET  …/versions/<vid>  → 200 application/octet-stream, the full Yjs update (viewer or better)
 * `rest` is what follows `versions` in the path.
 */
export async function handleVersions(
  req: IncomingMessage,
  res: ServerResponse,
  caller: ApiCaller,
  id: string,
  rest: string[],
  deps: VersionsApiDeps,
): Promise<void> {
  if (!WORKBOOK_ID.test(id)) throw new ApiError('bad-workbook-id')
  requireWorkbook(caller, id)
  const keeper = deps.versions
  if (!keeper) throw new ApiError('versions-off')
  const method = req.method ?? 'GET'
  const read = method === 'GET' || method === 'HEAD'
  if (rest.length > 1) throw new ApiError('not-found')
  if (rest.length === 1) {
    if (!read) throw new ApiError('method-not-allowed')
    const vid = rest[0]!
    const bytes = VERSION_ID.test(vid) ? await keeper.read(id, vid) : null
    if (!bytes) throw new ApiError('version-not-found')
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      // A version never changes; a viewer reopening it may use its copy.
      'cache-control': 'private, max-age=86400',
      'content-length': bytes.length,
    })
    res.end(bytes)
    return
  }
  if (read) {
    const versions = await keeper.list(id)
    if (versions.length === 0 && !(await exists(deps.source, id)))
      throw new ApiError('workbook-not-found')
    return sendJson(res, 200, { versions })
  }
  if (method !== 'POST') throw new ApiError('versions-method')
  if (caller.role === 'viewer') throw new ApiError('version-editor-only')
  const body = parseCreate(await readBody(req))
  const version = await keeper.capture(id, { ...body, author: caller.name })
  if (!version) throw new ApiError('workbook-not-found')
  sendJson(res, 201, { version })
}

async function exists(source: WorkbookSource, id: string): Promise<boolean> {
  return (await source.list()).includes(id)
}

/** `{name?, kind?}` or an empty body; anything else is a 400 with both languages. */
function parseCreate(text: string): { name: string; kind: VersionKind } {
  if (text.trim() === '') return { name: '', kind: 'manual' }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiError('bad-version-request')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError('bad-version-request')
  const { name = '', kind = 'manual' } = body as Record<string, unknown>
  if (typeof name !== 'string' || [...name].length > MAX_VERSION_NAME)
    throw new ApiError('bad-version-request')
  if (typeof kind !== 'string' || !CREATABLE.includes(kind as VersionKind))
    throw new ApiError('bad-version-request')
  return { name: name.trim(), kind: kind as VersionKind }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('bad-version-request'))
        req.resume()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
