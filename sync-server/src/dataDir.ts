import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
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

/** What a running server writes into its data dir (information only: who and where). */
export interface ServerLock {
  pid: number
  host: string
  port: number
  startedAt: string
}

/** The file whose OS lock says "a server holds this data dir": LevelDB's own LOCK (fcntl). */
export function storeLockFile(dataDir: string): string {
  return join(dataDir, DB_DIR, 'LOCK')
}

/**
 * The pid holding an OS lock (fcntl or flock) on `file`, from the kernel's lock table
 * (/proc/locks, Linux): null when nobody holds one (a process's locks go with it, even if it stays
 * behind as a zombie), undefined when this system cannot tell (no /proc/locks). Read, never
 * guessed from pid liveness: a pid can outlive its process (a zombie) or be reused.
 */
export function lockHolder(file: string): number | null | undefined {
  let table: string
  try {
    table = readFileSync('/proc/locks', 'utf8')
  } catch {
    return undefined
  }
  let st: ReturnType<typeof statSync>
  try {
    st = statSync(file)
  } catch {
    return null // no such file: nothing to hold
  }
  const dev = Number(st.dev)
  // Linux's dev_t: major in bits 8-19 (and 32+), minor in bits 0-7 (and 20-31); /proc/locks
  // prints them in hex, the inode in decimal.
  const major = ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff)
  const minor = (dev & 0xff) | ((dev >>> 12) & ~0xff & 0xfffff)
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${st.ino}`
  for (const line of table.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 13420 fe:00:2155191 0 EOF" (a waiting lock's line has "->").
    const f = line.trim().split(/\s+/)
    if (f[1] === '->') continue
    if (f[5] === id) return Number(f[4])
  }
  return null
}

/**
 * The server holding `dataDir`, if one is running: decided by the OS lock on its LevelDB (held by
 * the server's open store, released by the OS when the process ends, however it ends); the
 * server.lock file only adds the port. CLI tools that write storage (import, export…) must refuse
 * when this is not null. Where the lock table cannot be read, null: opening the store then fails
 * with LevelDB's own "lock … already held" instead.
 */
export function runningServer(dataDir: string): ServerLock | null {
  const holder = lockHolder(storeLockFile(dataDir))
  if (holder === null || holder === undefined || holder === process.pid) return null
  let info: Partial<ServerLock> = {}
  try {
    info = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as ServerLock
  } catch {
    // No info file (a server of an older version, or removed): the kernel's pid is enough.
  }
  return {
    pid: holder,
    host: info.pid === holder ? (info.host ?? '') : '',
    port: info.pid === holder ? (info.port ?? 0) : 0,
    startedAt: info.pid === holder ? (info.startedAt ?? '') : '',
  }
}

/** The error of a server refused because another holds `dataDir` (zh-CN and English). */
export function dataDirInUse(dataDir: string, other: { pid: number; port: number }): Error {
  const port = other.port ? `, port ${other.port}` : ''
  const portZh = other.port ? `，端口 ${other.port}` : ''
  return new Error(
    `数据目录 ${dataDir} 正被另一个服务器使用（进程 ${other.pid}${portZh}）/ data dir ${dataDir} is in use by pid ${other.pid}${port}`,
  )
}

/**
 * Writes who holds `dataDir` (server.lock, information for messages) after checking that no other
 * process holds its store's OS lock; throws if one does. The exclusion itself is the store's lock
 * (LevelDB's LOCK, taken when the store opens): nothing here outlives the process that took it.
 * Returns release (removes the info file if it is still ours).
 */
export function lockDataDir(
  dataDir: string,
  info: Omit<ServerLock, 'pid' | 'startedAt'>,
): () => void {
  mkdirSync(dataDir, { recursive: true })
  const other = runningServer(dataDir)
  if (other) throw dataDirInUse(dataDir, other)
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

/**
 * A store open refused because LevelDB's LOCK is held (classic-level: LEVEL_LOCKED) as the
 * "in use" error, with the holder's pid and port when known; any other error as it is.
 */
export function explainStoreOpenError(err: unknown, dataDir: string): unknown {
  const cause = (err as { cause?: { code?: string } } | null)?.cause
  const code = (err as { code?: string } | null)?.code
  if (code !== 'LEVEL_LOCKED' && cause?.code !== 'LEVEL_LOCKED') return err
  const other = runningServer(dataDir)
  return dataDirInUse(dataDir, other ?? { pid: lockHolder(storeLockFile(dataDir)) ?? 0, port: 0 })
}
