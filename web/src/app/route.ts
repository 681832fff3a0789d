import { createSignal } from 'solid-js'

/** Hash routes: `#/` home, `#/w/<id>` a workbook. The hash keeps routing working offline and on any static host. */
export type Route = { page: 'home' } | { page: 'workbook'; id: string }

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] ?? ''
  const m = /^\/?w\/([^/]+)/.exec(path)
  if (m) return { page: 'workbook', id: decodeURIComponent(m[1]!) }
  return { page: 'home' }
}

const [route, setRoute] = createSignal<Route>(parseRoute(globalThis.location?.hash ?? ''))
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => setRoute(parseRoute(location.hash)))
}

export { route }

export function navigate(r: Route): void {
  location.hash = r.page === 'home' ? '#/' : `#/w/${encodeURIComponent(r.id)}`
}
