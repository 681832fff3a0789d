import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** A free TCP port on 127.0.0.1 (the OS picks it; another process may take it before we bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Polls `ready` every `everyMs` until it resolves true; throws after `timeoutMs` (a bound), or at
 * once when `dead` reports why the process being waited for is gone.
 */
export async function waitUntil(
  ready: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 50,
  dead?: () => string | undefined,
): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const gone = dead?.()
    if (gone !== undefined) throw new Error(`${what}: ${gone}`)
    if (await ready().catch(() => false)) return
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** Runs `start(port)` on a free port, with another port if that one was taken meanwhile (3 tries). */
export async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      return await start(port)
    } catch (err) {
      if (attempt >= 3 || !/in use|bind/i.test(String(err))) throw err
    }
  }
}

/** A child process we started, with its output kept (last 64 KiB) for error messages. */
export interface Child {
  proc: ChildProcess
  pid: number
  output: () => string
  exited: Promise<number | null>
  /** Sends `signal` to our pid (never by name) and waits for the exit, at most `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>
}

export function spawnChild(
  cmd: string,
  args: string[],
  opts: { uid?: number; gid?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Child {
  const proc = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
    cwd: opts.cwd,
    env: opts.env ?? process.env,
  })
  let out = ''
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-65536)
  }
  proc.stdout?.on('data', keep)
  proc.stderr?.on('data', keep)
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => resolve(code))
    proc.once('error', (err) => {
      keep(Buffer.from(String(err)))
      resolve(-1)
    })
  })
  let done = false
  void exited.then(() => {
    done = true
  })
  const pid = proc.pid ?? -1
  return {
    proc,
    pid,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (done || pid < 0) return
      try {
        process.kill(pid, signal)
      } catch {
        // Already gone: the exit event is on its way.
      }
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref())
      if ((await Promise.race([exited, timer])) === 'timeout') {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Gone between the timeout and the kill.
        }
        await exited
      }
    },
  }
}
