/**
 * The real `taizhang serve` as a child process (the repository's CLI through its bin script), on a
 * fixed 127.0.0.1 port and data dir, so it can be SIGKILLed and restarted in place; plus direct
 * reads of the data dir through the server's own DocStore while it is down.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { DB_DIR } from '../../sync-server/src/dataDir.js'
import { createLevelDocStore } from '../../sync-server/src/storage/levelDocStore.js'
import { Y, type YDoc } from './deps.js'

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = join(REPO, 'sync-server/bin/taizhang.mjs')
const run = promisify(execFile)

/** A free TCP port on 127.0.0.1 (bound then released; the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => ok(port))
    })
  })
}

export interface ChaosServerOptions {
  /** Extra `serve` flags (e.g. `--compact-after 50`). */
  extra?: string[]
  /** Start timeout per (re)start, ms. */
  startTimeoutMs?: number
}

export class ChaosServer {
  private child: ChildProcess | null = null
  private exited: Promise<void> = Promise.resolve()
  starts = 0
  kills = 0
  /** Last lines of the server's output, for failure messages. */
  private tail: string[] = []

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly opts: ChaosServerOptions,
  ) {}

  static async create(opts: ChaosServerOptions = {}): Promise<ChaosServer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'tz-chaos-'))
    return new ChaosServer(dataDir, await freePort(), opts)
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}/sync`
  }
  get httpBase(): string {
    return `http://127.0.0.1:${this.port}`
  }
  get running(): boolean {
    return this.child !== null
  }
  get pid(): number | undefined {
    return this.child?.pid
  }
  output(): string {
    return this.tail.join('')
  }

  /** `taizhang token --workbook '*' --role editor` against the same data dir (same secret). */
  /** A `*` token; access (issue 16): any role, and `extra` CLI flags such as `--scope-station`. */
  async token(role = 'editor', name = 'chaos', extra: string[] = []): Promise<string> {
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        'token',
        '--workbook',
        '*',
        '--role',
        role,
        '--name',
        name,
        '--data',
        this.dataDir,
        '--json',
        ...extra,
      ],
      { cwd: REPO, timeout: 30_000, env: cleanEnv() },
    )
    return (JSON.parse(stdout) as { token: string }).token
  }

  /** Starts `taizhang serve` on the fixed port; resolves once it logs "listening". */
  async start(): Promise<void> {
    if (this.child) throw new Error('server already running')
    const child = spawn(
      process.execPath,
      [
        BIN,
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--data',
        this.dataDir,
        '--log-level',
        'info',
        ...(this.opts.extra ?? []),
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() },
    )
    this.child = child
    this.starts++
    // A harness that exits (or is interrupted: see bench/chaos/soak.ts) takes its server with it.
    const reap = () => child.kill('SIGKILL')
    process.once('exit', reap)
    child.once('exit', () => process.removeListener('exit', reap))
    this.exited = new Promise((ok) => child.once('exit', () => ok()))
    void this.exited.then(() => {
      if (this.child === child) this.child = null
    })
    const keep = (d: Buffer) => {
      this.tail.push(d.toString())
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40)
    }
    child.stderr?.on('data', keep)
    let out = ''
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`server did not start within bound:\n${this.output()}`)),
        this.opts.startTimeoutMs ?? 30_000,
      )
      child.stdout?.on('data', (d: Buffer) => {
        keep(d)
        if (out.length < 100_000) out += d.toString()
        if (out.includes('"msg":"listening"')) {
          clearTimeout(timer)
          ok()
        }
      })
      void this.exited.then(() => {
        clearTimeout(timer)
        fail(new Error(`server exited before listening:\n${this.output()}`))
      })
    })
  }

  /** SIGKILL: no shutdown code runs. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child) return
    child.kill('SIGKILL')
    this.kills++
    await this.exited
    this.child = null
  }

  /** Graceful stop (SIGTERM), bounded; falls back to SIGKILL. */
  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await this.exited
    clearTimeout(t)
    this.child = null
  }

  /**
   * Loads one workbook straight from the data dir with the server's own LevelDB DocStore (only
   * while the server is down: LevelDB holds a lock).
   */
  async loadStored(workbook: string): Promise<YDoc> {
    if (this.child) throw new Error('stop the server before reading its data dir')
    const store = await createLevelDocStore(join(this.dataDir, DB_DIR))
    try {
      const updates = await store.load(workbook)
      const doc = new Y.Doc()
      if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates))
      return doc
    } finally {
      await store.close()
    }
  }

  /** Stops the server if needed and removes the data dir. */
  async dispose(): Promise<void> {
    await this.kill()
    await rm(this.dataDir, { recursive: true, force: true })
  }
}

/** The environment without variables that would override our flags. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('TAIZHANG_')) delete env[k]
  return env
}
