import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, onFreePort, spawnChild, waitUntil } from './process.js'

/** Debian's HAProxy (package `haproxy`); TAIZHANG_HAPROXY overrides. */
export const HAPROXY = process.env.TAIZHANG_HAPROXY ?? '/usr/sbin/haproxy'

export interface HaproxyService {
  url: string
  port: number
  pid: () => number
  destroy(): Promise<void>
}

/**
 * The HAProxy configuration for Taizhang servers (also printed in docs/DEPLOY.md): HTTP mode,
 * WebSocket upgrades tunnelled (`timeout tunnel`), health checks on /healthz every `checkMs`, and
 * a connection refused by a dead server retried on another one (`option redispatch`).
 */
export function haproxyConfig(opts: {
  bind: string
  backends: { name: string; host: string; port: number }[]
  checkMs?: number
}): string {
  const check = opts.checkMs ?? 2000
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option redispatch',
    '  retries 3',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    '  timeout http-request 10s',
    'frontend taizhang',
    `  bind ${opts.bind}`,
    '  default_backend taizhang_servers',
    'backend taizhang_servers',
    '  balance leastconn',
    '  option httpchk GET /healthz',
    // A degraded server (its store unreachable) answers 503 and leaves the rotation.
    '  http-check expect status 200',
    `  default-server inter ${check} fall 2 rise 1 on-marked-down shutdown-sessions`,
    ...opts.backends.map((b) => `  server ${b.name} ${b.host}:${b.port} check`),
    '',
  ].join('\n')
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket()
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(1000, () => done(false))
    s.once('error', () => done(false))
    s.connect(port, '127.0.0.1', () => done(true))
  })
}

/** Starts HAProxy in the foreground (`-db`) in front of `backends` (ports on 127.0.0.1). */
export async function startHaproxy(
  backends: number[],
  opts: { checkMs?: number } = {},
): Promise<HaproxyService> {
  if (!existsSync(HAPROXY)) {
    throw new Error(`haproxy not found at ${HAPROXY}: run node scripts/ensureServices.mjs`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'tz-haproxy-'))
  const cfg = join(dir, 'haproxy.cfg')
  const { port, child } = await onFreePort(async (port) => {
    writeFileSync(
      cfg,
      haproxyConfig({
        bind: `127.0.0.1:${port}`,
        backends: backends.map((p, i) => ({ name: `s${i + 1}`, host: '127.0.0.1', port: p })),
        checkMs: opts.checkMs ?? 500,
      }),
    )
    const child: Child = spawnChild(HAPROXY, ['-db', '-f', cfg])
    await waitUntil(
      () => canConnect(port),
      `haproxy on port ${port}`,
      15_000,
      50,
      () => (child.proc.exitCode !== null ? `haproxy exited:\n${child.output()}` : undefined),
    )
    return { port, child }
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: () => child.pid,
    async destroy() {
      await child.stop('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
