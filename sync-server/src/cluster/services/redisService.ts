import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, onFreePort, spawnChild, waitUntil } from './process.js'

/** Debian's redis-server (package `redis-server`); TAIZHANG_REDIS_SERVER overrides. */
export const REDIS_SERVER = process.env.TAIZHANG_REDIS_SERVER ?? '/usr/bin/redis-server'

/** A throwaway Redis: its own dir in /tmp (append-only file, no RDB snapshots), 127.0.0.1. */
export interface RedisService {
  url: string
  port: number
  dir: string
  pid: () => number
  /** SIGTERM (Redis flushes its AOF) or SIGKILL (whatever the last second's fsync missed is lost). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
  start(): Promise<void>
  destroy(): Promise<void>
}

/** Sends PING over a raw socket; true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket()
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(1000, () => done(false))
    s.once('error', () => done(false))
    s.once('data', (d) => done(d.toString().startsWith('+PONG')))
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'))
  })
}

export async function startRedis(): Promise<RedisService> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `redis-server not found at ${REDIS_SERVER}: run node scripts/ensureServices.mjs`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'tz-redis-'))
  let port = 0
  let child: Child | undefined
  const start = async () => {
    child = spawnChild(REDIS_SERVER, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ])
    const c = child
    await waitUntil(
      () => ping(port),
      `redis on port ${port}`,
      15_000,
      50,
      () => (c.proc.exitCode !== null ? `redis-server exited:\n${c.output()}` : undefined),
    )
  }
  await onFreePort(async (p) => {
    port = p
    await start()
  })
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    await child?.stop(signal)
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid ?? -1,
    stop,
    start,
    async destroy() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
