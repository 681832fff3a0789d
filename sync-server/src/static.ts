import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Taizhang</title>
<p>The Taizhang web app is not built. Run <code>pnpm build</code> (or <code>pnpm start</code>) in the repository, then reload.</p>
<p>台账网页应用尚未构建。请在仓库中运行 <code>pnpm build</code> 后刷新。</p>`

/**
 * The Content-Security-Policy of the app (defence in depth: cell text is escaped everywhere).
 * Scripts only from the app's own origin (no inline script, no eval); connections to the origin
 * and its sync endpoint (ws/wss of the same host, named explicitly for browsers whose 'self' does
 * not cover WebSockets); workers and the service worker from the origin, and blob: for workers;
 * styles may be inline (AG Grid's Theming API injects its CSS as <style> elements, Solid sets
 * style attributes); images from data:/blob: (chart PNGs, downloads); nothing may frame the app.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  // The Host header goes into the header value: only a plain host[:port] is echoed.
  const sync =
    host && /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host)
      ? ` ws://${host} wss://${host}`
      : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sync}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Headers every response of the app carries (with `contentSecurityPolicy` on top). */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // For browsers without CSP frame-ancestors.
  'x-frame-options': 'DENY',
} as const

/**
 * Serves the built web app from `root`: files as they are, `/assets/*` (content-hashed by Vite)
 * with a one-year immutable cache, and every other GET falls back to index.html (SPA routing).
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x')
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400).end('bad path')
    return
  }
  const file = normalize(join(root, path))
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(403).end('forbidden')
    return
  }
  const hit = await stat(file).catch(() => null)
  if (hit?.isFile()) {
    const immutable = path.startsWith('/assets/')
    return send(res, file, hit.size, immutable, req)
  }
  if (path.startsWith('/assets/') || extname(path) !== '') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    return
  }
  const index = join(root, 'index.html')
  const indexStat = await stat(index).catch(() => null)
  if (!indexStat?.isFile()) {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      ...SECURITY_HEADERS,
      'content-security-policy': contentSecurityPolicy(req.headers.host),
    })
    res.end(NOT_BUILT)
    return
  }
  return send(res, index, indexStat.size, false, req)
}

function send(
  res: ServerResponse,
  file: string,
  size: number,
  immutable: boolean,
  req: IncomingMessage,
): Promise<void> {
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
    // Also on scripts: a worker's and the service worker's policy is their own response's.
    'content-security-policy': contentSecurityPolicy(req.headers.host),
  })
  if (req.method === 'HEAD') {
    res.end()
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const stream = createReadStream(file)
    stream.on('error', () => {
      res.destroy()
      resolve()
    })
    stream.on('end', () => resolve())
    stream.pipe(res)
  })
}
