import { parseShareLink, readTokenClaims } from '../doc/token'
import { setWorkspaceToken, updateWorkbookEntry } from './registry'

/**
 * Takes a token out of the current address (fragment or query), stores it, and removes it from the
 * address bar so it does not linger in history or screenshots. Returns the workbook to open, if any.
 */
export async function absorbShareLink(href: string): Promise<string | null> {
  const link = parseShareLink(href)
  if (!link?.token) return link?.workbookId ?? null
  await storeLink(link.workbookId, link.token)
  const url = new URL(href)
  url.searchParams.delete('token')
  const hashPath = url.hash.split('?')[0] || '#/'
  const clean =
    url.pathname + (url.searchParams.size ? '?' + url.searchParams.toString() : '') + hashPath
  history.replaceState(null, '', clean)
  return link.workbookId && link.workbookId !== '*' ? link.workbookId : null
}

export async function storeLink(workbookId: string | null, token: string): Promise<void> {
  const claims = readTokenClaims(token)
  if (!workbookId || workbookId === '*' || claims.workbook === '*') {
    setWorkspaceToken(token)
    if (!workbookId || workbookId === '*') return
  }
  await updateWorkbookEntry(workbookId, {
    token,
    role: claims.role ?? 'editor',
    lastOpened: Date.now(),
  })
}
