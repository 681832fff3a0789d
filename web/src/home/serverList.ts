import type { WorkbookEntry } from '../app/registry'
import { readTokenClaims } from '../doc/token'

/** One workbook as `GET /api/workbooks` lists it (docs/API.md). */
export interface ServerWorkbook {
  id: string
  title: string
  createdAt: number
  updatedAt: number
  role: 'editor' | 'viewer'
  /** The token that listed it (what opening it on this device will use). */
  token: string
}

/**
 * Where a workbook of the home page lives: on this device and the server, only on this device
 * (the server answered for it and does not have it), only on the server, or on this device with
 * the server not asked (offline, no token, or the token refused).
 */
export type Whereabouts = 'both' | 'device' | 'server' | 'unknown'

export interface HomeRow {
  id: string
  title: string
  where: Whereabouts
  role: 'editor' | 'viewer'
  local?: WorkbookEntry
  server?: ServerWorkbook
}

/** What the server said: its workbooks, and which ids its answers cover. */
export interface ServerAnswer {
  workbooks: ServerWorkbook[]
  /** Whether a token that answered covers `id` (an `*` token covers every id). */
  covers(id: string): boolean
}

/**
 * The home page's list: this device's workbooks (most recently opened first), each marked with
 * whether the server has it, then the server's workbooks this device has never opened (most
 * recently changed first). `server` null: the server was not reached; nothing is marked.
 */
export function mergeWorkbookLists(local: WorkbookEntry[], server: ServerAnswer | null): HomeRow[] {
  const onServer = new Map((server?.workbooks ?? []).map((w) => [w.id, w]))
  const rows: HomeRow[] = [...local]
    .sort((a, b) => b.lastOpened - a.lastOpened)
    .map((entry) => {
      const remote = onServer.get(entry.id)
      const where: Whereabouts = remote ? 'both' : server?.covers(entry.id) ? 'device' : 'unknown'
      return {
        id: entry.id,
        title: entry.title || remote?.title || '',
        where,
        role: entry.role ?? remote?.role ?? 'editor',
        local: entry,
        ...(remote ? { server: remote } : {}),
      }
    })
  const known = new Set(local.map((e) => e.id))
  const remoteOnly = (server?.workbooks ?? [])
    .filter((w) => !known.has(w.id))
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .map((w): HomeRow => ({ id: w.id, title: w.title, where: 'server', role: w.role, server: w }))
  return rows.concat(remoteOnly)
}

/** The most tokens the home page asks the server with (one request each). */
export const MAX_LIST_TOKENS = 20

/**
 * Asks the server which workbooks each of this device's tokens may open: the workspace token
 * (`*`, from the owner's link) and the tokens of single-workbook share links. Tokens the server
 * refuses (expired, from another server) are skipped; null when no token got an answer (offline,
 * or none valid), so the home page marks nothing rather than guess.
 */
export async function fetchServerWorkbooks(
  origin: string,
  workspaceToken: string | null,
  local: WorkbookEntry[],
  fetchFn: typeof fetch = fetch,
): Promise<ServerAnswer | null> {
  const tokens = [
    ...new Set([workspaceToken, ...local.map((e) => e.token)].filter((t): t is string => !!t)),
  ].slice(0, MAX_LIST_TOKENS)
  if (tokens.length === 0) return null
  const answers = await Promise.all(
    tokens.map(async (token) => {
      try {
        const r = await fetchFn(`${origin}/api/workbooks`, {
          headers: { authorization: `Bearer ${token}` },
          cache: 'no-store',
        })
        if (!r.ok) return null
        const body = (await r.json()) as { workbooks?: Omit<ServerWorkbook, 'token'>[] }
        return { token, workbooks: (body.workbooks ?? []).map((w) => ({ ...w, token })) }
      } catch {
        // Offline or the server is down: this token tells nothing.
        return null
      }
    }),
  )
  const ok = answers.filter((a): a is NonNullable<typeof a> => a !== null)
  if (ok.length === 0) return null
  const byId = new Map<string, ServerWorkbook>()
  for (const a of ok) {
    for (const w of a.workbooks) {
      const prev = byId.get(w.id)
      // An editor token wins over a viewer one for the same workbook.
      if (!prev || (prev.role === 'viewer' && w.role === 'editor')) byId.set(w.id, w)
    }
  }
  const coveringAll = ok.some(
    (a) => a.token === workspaceToken && readTokenClaims(a.token).workbook === '*',
  )
  const coveredIds = new Set(
    local.filter((e) => e.token && ok.some((a) => a.token === e.token)).map((e) => e.id),
  )
  return {
    workbooks: [...byId.values()],
    covers: (id) => coveringAll || coveredIds.has(id),
  }
}
