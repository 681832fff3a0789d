import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { LOCK_FILE, lockDataDir, lockHolder, runningServer, storeLockFile } from '../dataDir.js'
import { tempDir, waitFor } from './helpers.js'

const BIN = fileURLToPath(new URL('../../bin/taizhang.mjs', import.meta.url))
const children: ChildProcess[] = []
const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL')
  for (const c of cleanups.splice(0)) await c()
})

/** The process state letter from /proc (R, S, Z…), or null once it is gone from the table. */
function procState(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0]!
  } catch {
    return null
  }
}

/** Output lines of a child, collected as they come. */
function collect(child: ChildProcess): { text: () => string } {
  let out = ''
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString()
  })
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString()
  })
  return { text: () => out }
}

const serveArgs = (dir: string) => ['serve', '--host', '127.0.0.1', '--port', '0', '--data', dir]

/**
 * `taizhang serve` whose parent never reaps it: sh starts it in the background, prints its pid and
 * execs `sleep`, which becomes its parent and never waits. Killed with SIGKILL, the server stays
 * in the process table as a zombie until `sleep` ends (as under a PID 1 that does not reap).
 */
async function startUnreaped(dir: string): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn(
    'sh',
    ['-c', `"$0" "$@" & echo "pid=$!"; exec sleep 120`, BIN, ...serveArgs(dir)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  children.push(parent)
  const out = collect(parent)
  await waitFor(() => /"msg":"listening"/.test(out.text()), 'first server listening', 60_000, 20)
  return { pid: Number(/pid=(\d+)/.exec(out.text())![1]), parent }
}

function startServe(dir: string): { child: ChildProcess; out: { text: () => string } } {
  const child = spawn(BIN, serveArgs(dir), { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return { child, out: collect(child) }
}

describe('data dir lock: the OS lock of the store, not a pid check', () => {
  it('refuses a second server while the first runs; restarts after kill -9 with the old pid still a zombie', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const first = await startUnreaped(dir)
    expect(lockHolder(storeLockFile(dir))).toBe(first.pid)
    expect(runningServer(dir)?.pid).toBe(first.pid)

    const refused = startServe(dir)
    const code = await new Promise<number | null>((r) => refused.child.once('exit', r))
    expect(code).not.toBe(0)
    expect(refused.out.text()).toContain(`is in use by pid ${first.pid}`)
    expect(refused.out.text()).toContain('正被另一个服务器使用')

    process.kill(first.pid, 'SIGKILL')
    await waitFor(() => procState(first.pid) === 'Z', 'the killed server is a zombie', 10_000)
    // The old pid is still in the process table: kill(pid, 0) succeeds (the old check's mistake).
    expect(() => process.kill(first.pid, 0)).not.toThrow()
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(first.pid)
    // ...but its locks go with it: at once, or as soon as its last thread is gone (the group
    // leader shows Z while a thread-pool thread may still be finishing a write).
    await waitFor(() => lockHolder(storeLockFile(dir)) === null, 'the lock released', 10_000)
    expect(procState(first.pid)).toBe('Z')
    expect(runningServer(dir)).toBeNull()

    const second = startServe(dir)
    await waitFor(
      () => /"msg":"listening"/.test(second.out.text()),
      'restart listening',
      60_000,
      20,
    )
    expect(procState(first.pid)).toBe('Z')
    expect(lockHolder(storeLockFile(dir))).toBe(second.child.pid)
  })

  it('ignores a server.lock naming a live, unrelated pid', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' })
    children.push(sleeper)
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: sleeper.pid, host: '127.0.0.1', port: 9, startedAt: '' }),
    )
    expect(runningServer(dir)).toBeNull()
    const release = lockDataDir(dir, { host: '127.0.0.1', port: 1 })
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    release()
  })
})
