import { parseShareLink, readTokenClaims } from '../doc/token'
import { afterGridPainted } from './afterPaint'
import { setWorkspaceToken, updateWorkbookEntry } from './registry'

/** Links taken from the address bar in this page and not yet stored (or whose store failed). */
const absorbed = new Map<string, string>()
let stored: Promise<void> = Promise.resolve()

/**
 * Takes a token out of the current address (fragment or query) and removes it from the address
 * bar so it does not linger in history or screenshots; returns the workbook to open, if any.
 * Storing it runs in the background (`linksStored()`), so opening the workbook need not wait:
 * `absorbedToken` has it meanwhile (and for the rest of the page's life if the store failed).
 */
export function absorbShareLink(href: string): string | null {
  const link = parseShareLink(href)
  if (!link?.token) return link?.workbookId ?? null
  const { workbookId, token } = link
  const forWorkbook = !!workbookId && workbookId !== '*'
  if (forWorkbook) absorbed.set(workbookId, token)
  // Opening that workbook needs only `absorbedToken`: its registry write (an IndexedDB readwrite
  // transaction on the same origin's store) waits until the first rows are painted, as it slowed
  // the workbook's own read.
  const ready = forWorkbook ? new Promise<void>((r) => afterGridPainted(r)) : Promise.resolve()
  stored = stored
    .then(() => ready)
    .then(() => storeLink(workbookId, token))
    .then(
      () => {
        if (workbookId && absorbed.get(workbookId) === token) absorbed.delete(workbookId)
      },
      () => {},
    )
  const url = new URL(href)
  url.searchParams.delete('token')
  const hashPath = url.hash.split('?')[0] || '#/'
  const clean =
    url.pathname + (url.searchParams.size ? '?' + url.searchParams.toString() : '') + hashPath
  history.replaceState(null, '', clean)
  return workbookId && workbookId !== '*' ? workbookId : null
}

/** Resolves when every absorbed link has been stored in the registry (or failed to). */
export function linksStored(): Promise<void> {
  return stored
}

/** The token of a link absorbed in this page for this workbook and not (yet) in the registry. */
export function absorbedToken(workbookId: string): string | null {
  return absorbed.get(workbookId) ?? null
}

export async function storeLink(workbookId: string | null, token: string): Promise<void> {
  const claims = readTokenClaims(token)
  if (!workbookId || workbookId === '*' || claims.workbook === '*') {
    setWorkspaceToken(token)
    if (!workbookId || workbookId === '*') return
  }
  await updateWorkbookEntry(workbookId, {
    token,
    // The registry (home list) tells only read-only from writable; access-ui (issue 16) reads the
    // finer role from the token itself.
    role: claims.role === 'viewer' ? 'viewer' : 'editor',
    lastOpened: Date.now(),
  })
}
