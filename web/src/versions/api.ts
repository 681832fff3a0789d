import * as Y from 'yjs'
import { getWorkbookEntry, getWorkspaceToken } from '../app/registry'
import { absorbedToken } from '../app/shareLinks'
import { vtBoth } from './text'

/** One stored version, as `GET /api/workbooks/:id/versions` lists it (docs/API.md). */
export interface VersionInfo {
  id: string
  name: string
  kind: 'auto' | 'import' | 'manual' | 'rollback'
  createdAt: number
  author: string
  bytes: number
}

/** The longest version name the server accepts (characters; docs/API.md). */
export const MAX_VERSION_NAME = 100

/** A refused or failed request, with the server's (or our) message in both languages. */
export class VersionError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly status = 0,
  ) {
    super(`${code}: ${en}`)
  }
}

/** The token this device opens a workbook with (as the workbook view resolves it). */
export async function workbookToken(workbookId: string): Promise<string | null> {
  const absorbed = absorbedToken(workbookId)
  if (absorbed) return absorbed
  const entry = await getWorkbookEntry(workbookId).catch(() => undefined)
  return entry?.token ?? getWorkspaceToken()
}

export interface VersionApiOptions {
  workbookId: string
  token: string | null
  /** The server's origin; default the page's. */
  origin?: string
  fetchFn?: typeof fetch
  /** Aborts the request (a capture before an import must not hold the import up for long). */
  signal?: AbortSignal
}

async function call(
  opts: VersionApiOptions,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  const url = `${opts.origin ?? ''}/api/workbooks/${encodeURIComponent(opts.workbookId)}/versions${path}`
  let res: Response
  try {
    res = await (opts.fetchFn ?? fetch)(url, {
      ...init,
      headers,
      cache: 'no-store',
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
  } catch {
    const m = vtBoth('offline')
    throw new VersionError('offline', m.zh, m.en)
  }
  if (res.ok) return res
  // The API's error shape (docs/API.md): `{ error: code, zh, en }`.
  let body: { error?: string; zh?: string; en?: string } | null = null
  try {
    body = await res.json()
  } catch {
    // Not JSON (a proxy's error page): the status is all there is to say.
  }
  const fallback = vtBoth('badResponse', { status: res.status })
  throw new VersionError(
    typeof body?.error === 'string' ? body.error : `http_${res.status}`,
    body?.zh ?? fallback.zh,
    body?.en ?? fallback.en,
    res.status,
  )
}

function badBody(status: number): VersionError {
  const m = vtBoth('badResponse', { status })
  return new VersionError('bad_response', m.zh, m.en, status)
}

/** The workbook's versions, newest first. */
export async function listVersions(opts: VersionApiOptions): Promise<VersionInfo[]> {
  const res = await call(opts, '')
  const body = (await res.json().catch(() => null)) as { versions?: VersionInfo[] } | null
  if (!body || !Array.isArray(body.versions)) throw badBody(res.status)
  return [...body.versions].sort((a, b) => b.createdAt - a.createdAt)
}

/** Asks the server to keep the workbook as it has it now. */
export async function saveVersion(
  opts: VersionApiOptions,
  body: { name?: string; kind?: 'manual' | 'import' | 'rollback' },
): Promise<VersionInfo> {
  // The server takes names of up to MAX_VERSION_NAME characters: a long file or version name in
  // a generated one is cut rather than refused.
  const name =
    body.name === undefined ? undefined : [...body.name].slice(0, MAX_VERSION_NAME).join('')
  const res = await call(opts, '', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, ...(name !== undefined ? { name } : {}) }),
  })
  const out = (await res.json().catch(() => null)) as { version?: VersionInfo } | null
  if (!out?.version) throw badBody(res.status)
  return out.version
}

/** A version's full doc (one Yjs update), in a Y.Doc of its own that nothing syncs. */
export async function loadVersionDoc(opts: VersionApiOptions, versionId: string): Promise<Y.Doc> {
  const res = await call(opts, `/${encodeURIComponent(versionId)}`)
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (bytes.length === 0) {
    const m = vtBoth('emptyVersion')
    throw new VersionError('empty_version', m.zh, m.en, res.status)
  }
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, bytes)
  } catch {
    throw badBody(res.status)
  }
  return doc
}

/** How long a capture before an import may hold the import up. */
export const IMPORT_CAPTURE_TIMEOUT_MS = 5000

/**
 * Keeps a version before an import (kind `import`). Offline, refused or slow (past
 * IMPORT_CAPTURE_TIMEOUT_MS): skipped silently, the import goes on — the import is still one undo
 * step and in the history, only the server-side version is missing (web/README.md).
 */
export async function captureBeforeImport(
  workbookId: string,
  fileName: string,
  fetchFn?: typeof fetch,
): Promise<VersionInfo | null> {
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), IMPORT_CAPTURE_TIMEOUT_MS)
  try {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return null
    const token = await workbookToken(workbookId)
    return await saveVersion(
      { workbookId, token, signal: ctl.signal, ...(fetchFn ? { fetchFn } : {}) },
      { kind: 'import', name: vtBoth('importCaptureName', { file: fileName }).zh },
    )
  } catch {
    // Offline or refused: the import goes ahead without a server-side version (documented).
    return null
  } finally {
    clearTimeout(timer)
  }
}
