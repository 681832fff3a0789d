import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

/** Where a relative path given on the command line is resolved: pnpm's INIT_CWD, else cwd. */
export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD || process.cwd()
}

export function resolveUserPath(p: string, env: NodeJS.ProcessEnv = process.env): string {
  return isAbsolute(p) ? p : resolve(userCwd(env), p)
}

/** The data dir exactly as `serve` picks it: `--data`, else TAIZHANG_DATA, else ./data. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return resolveUserPath(flag ?? env.TAIZHANG_DATA ?? './data', env)
}

export const SECRET_FILE = 'secret'
export const LOCK_FILE = 'server.lock'
export const DB_DIR = 'db'

/**
 * The signing secret exactly as `serve` reads it: `--secret-file`, else TAIZHANG_SECRET, else
 * `<data>/secret`, generated (32 random bytes, hex, mode 0600) when missing.
 */
export function readSecret(
  opts: { secretFile?: string; dataDir: string },
  env: NodeJS.ProcessEnv = process.env,
): { secret: string; created: boolean } {
  if (opts.secretFile) {
    const s = readFileSync(resolveUserPath(opts.secretFile, env), 'utf8').trim()
    if (s.length < 16) throw new Error('secret file must hold at least 16 characters')
    return { secret: s, created: false }
  }
  if (env.TAIZHANG_SECRET) {
    if (env.TAIZHANG_SECRET.length < 16) throw new Error('TAIZHANG_SECRET must be ≥ 16 characters')
    return { secret: env.TAIZHANG_SECRET, created: false }
  }
  mkdirSync(opts.dataDir, { recursive: true })
  const file = join(opts.dataDir, SECRET_FILE)
  try {
    return { secret: readFileSync(file, 'utf8').trim(), created: false }
  } catch {
    const secret = randomBytes(32).toString('hex')
    // 'wx': if another process created it meanwhile, read theirs instead.
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
      return { secret, created: true }
    } catch {
      return { secret: readFileSync(file, 'utf8').trim(), created: false }
    }
  }
}

/** What a running server writes into its data dir. */
export interface ServerLock {
  pid: number
  host: string
  port: number
  startedAt: string
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The server holding `dataDir`, if one is running (a lock file whose pid is alive). CLI tools that
 * write storage (import, export…) must refuse when this is not null.
 */
export function runningServer(dataDir: string): ServerLock | null {
  let lock: ServerLock
  try {
    lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as ServerLock
  } catch {
    return null
  }
  if (typeof lock.pid !== 'number' || lock.pid === process.pid) return null
  return pidAlive(lock.pid) ? lock : null
}

/** Claims `dataDir` for this process; throws if another live server holds it. Returns release. */
export function lockDataDir(
  dataDir: string,
  info: Omit<ServerLock, 'pid' | 'startedAt'>,
): () => void {
  mkdirSync(dataDir, { recursive: true })
  const other = runningServer(dataDir)
  if (other) {
    throw new Error(`data dir ${dataDir} is in use by pid ${other.pid} (port ${other.port})`)
  }
  const file = join(dataDir, LOCK_FILE)
  const lock: ServerLock = { pid: process.pid, ...info, startedAt: new Date().toISOString() }
  writeFileSync(file, JSON.stringify(lock))
  return () => {
    try {
      const cur = JSON.parse(readFileSync(file, 'utf8')) as ServerLock
      if (cur.pid === process.pid) rmSync(file)
    } catch {
      // Already gone: nothing to release.
    }
  }
}
