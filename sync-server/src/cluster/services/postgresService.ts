import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type Child, onFreePort, spawnChild, waitUntil } from './process.js'

/** Debian's PostgreSQL 15 binaries (package `postgresql`); TAIZHANG_PG_BIN overrides. */
export const PG_BIN = process.env.TAIZHANG_PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** A throwaway PostgreSQL: its own data dir in /tmp, 127.0.0.1 and a free port, stopped by pid. */
export interface PostgresService {
  /** postgres://postgres@127.0.0.1:port/postgres */
  url: string
  port: number
  dir: string
  pid: () => number
  /** Stops the server: `fast` (SIGINT, clean) or `immediate` (SIGQUIT: no checkpoint, crash recovery at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>
  /** Stops it and removes the data dir. */
  destroy(): Promise<void>
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined
  // PostgreSQL refuses to run as root: run it as Debian's `postgres` user.
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid }
}

export async function startPostgres(
  opts: { startTimeoutMs?: number } = {},
): Promise<PostgresService> {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    throw new Error(`PostgreSQL not found in ${PG_BIN}: run node scripts/ensureServices.mjs`)
  }
  const user = postgresUser()
  const dir = mkdtempSync(join(tmpdir(), 'tz-pg-'))
  chmodSync(dir, 0o700)
  if (user) chownSync(dir, user.uid, user.gid)
  // --no-sync only for initdb's own files (a crash during initdb is a failed test start); the
  // server itself runs with fsync and synchronous_commit on, as in production.
  execFileSync(
    join(PG_BIN, 'initdb'),
    ['-D', dir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { uid: user?.uid, gid: user?.gid, stdio: 'pipe', cwd: dir },
  )
  let port = 0
  const url = () => `postgres://postgres@127.0.0.1:${port}/postgres`
  const timeoutMs = opts.startTimeoutMs ?? 30_000
  let child: Child | undefined
  const start = async () => {
    child = spawnChild(
      join(PG_BIN, 'postgres'),
      [
        '-D',
        dir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dir}`,
        '-c',
        'fsync=on',
        '-c',
        'synchronous_commit=on',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=32MB',
      ],
      { uid: user?.uid, gid: user?.gid, cwd: dir },
    )
    const c = child
    await waitUntil(
      async () => {
        const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 1000 })
        try {
          await client.connect()
          await client.query('SELECT 1')
          return true
        } finally {
          await client.end().catch(() => undefined)
        }
      },
      `postgres on port ${port}`,
      timeoutMs,
      50,
      () => (c.proc.exitCode !== null ? `postgres exited:\n${c.output()}` : undefined),
    )
  }
  await onFreePort(async (p) => {
    port = p
    await start()
  })
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await child?.stop(mode === 'fast' ? 'SIGINT' : 'SIGQUIT', 30_000)
  }
  return {
    url: url(),
    port,
    dir,
    pid: () => child?.pid ?? -1,
    stop,
    start,
    async destroy() {
      await stop('fast')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
