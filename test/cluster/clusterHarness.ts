/**
 * A Taizhang cluster on loopback for the chaos test and the cluster bench: a throwaway PostgreSQL
 * and Redis (Debian's packages), N real `taizhang serve --store … --bus …` processes (the
 * repository's CLI through its bin script, each on a fixed port so a killed one restarts in
 * place) and a real HAProxy in front of them. Everything is stopped by pid.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signToken } from '../../sync-server/src/auth/tokens.js'
import {
  type HaproxyService,
  startHaproxy,
} from '../../sync-server/src/cluster/services/haproxyService.js'
import {
  type PostgresService,
  startPostgres,
} from '../../sync-server/src/cluster/services/postgresService.js'
import {
  type Child,
  freePort,
  spawnChild,
  waitUntil,
} from '../../sync-server/src/cluster/services/process.js'
import {
  type RedisService,
  startRedis,
} from '../../sync-server/src/cluster/services/redisService.js'

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = join(REPO, 'sync-server/bin/taizhang.mjs')
export const CLUSTER_SECRET = 'cluster-test-secret-0123456789abcdef'

/** One `taizhang serve` of the cluster: fixed port and data dir, SIGKILL and restart in place. */
export class ClusterServer {
  private child: Child | null = null
  kills = 0

  constructor(
    readonly name: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly extra: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }
  get running(): boolean {
    return this.child !== null
  }
  get pid(): number {
    return this.child?.pid ?? -1
  }

  async start(): Promise<void> {
    const child = spawnChild(
      BIN,
      [
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--data',
        this.dataDir,
        ...this.extra,
      ],
      { cwd: REPO, env: this.env },
    )
    this.child = child
    await waitUntil(
      async () => {
        if (child.proc.exitCode !== null) throw new Error(`${this.name} exited:\n${child.output()}`)
        const res = await fetch(`${this.url}/healthz`)
        return res.ok
      },
      `${this.name} on port ${this.port}`,
      30_000,
      100,
    )
  }

  /** SIGKILL (no flush, no goodbye), then waits for the process to be gone. */
  async kill(): Promise<void> {
    const c = this.child
    this.child = null
    this.kills++
    await c?.stop('SIGKILL')
  }

  /** Graceful stop (SIGTERM: flush, close). */
  async stop(): Promise<void> {
    const c = this.child
    this.child = null
    await c?.stop('SIGTERM', 15_000)
  }

  async health(): Promise<Record<string, unknown>> {
    return (await (await fetch(`${this.url}/healthz`)).json()) as Record<string, unknown>
  }

  output(): string {
    return this.child?.output() ?? ''
  }
}

export interface Cluster {
  pg: PostgresService
  redis: RedisService
  lb: HaproxyService
  servers: ClusterServer[]
  /** ws://…/sync through HAProxy. */
  wsBase: string
  token(role?: 'editor' | 'viewer'): string
  destroy(): Promise<void>
}

/** Starts PostgreSQL, Redis, `n` servers and HAProxy (checks every `checkMs`). */
export async function startCluster(
  n: number,
  opts: { checkMs?: number; extra?: string[]; logLevel?: string } = {},
): Promise<Cluster> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()])
  const dirs: string[] = []
  const servers: ClusterServer[] = []
  try {
    for (let i = 0; i < n; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'tz-cluster-'))
      dirs.push(dir)
      const env = {
        ...process.env,
        TAIZHANG_SECRET: CLUSTER_SECRET,
        TAIZHANG_STORE: pg.url,
        TAIZHANG_BUS: redis.url,
        TAIZHANG_LOG_LEVEL: opts.logLevel ?? 'warn',
      }
      servers.push(new ClusterServer(`s${i + 1}`, await freePort(), dir, env, opts.extra ?? []))
    }
    // One at a time: each bundles nothing (the first build is done by then) and 2 cores are shared.
    for (const s of servers) await s.start()
  } catch (err) {
    for (const s of servers) await s.stop()
    await Promise.all([pg.destroy(), redis.destroy()])
    throw err
  }
  const lb = await startHaproxy(
    servers.map((s) => s.port),
    { checkMs: opts.checkMs ?? 300 },
  )
  return {
    pg,
    redis,
    lb,
    servers,
    wsBase: `ws://127.0.0.1:${lb.port}/sync`,
    token: (role = 'editor') =>
      signToken(CLUSTER_SECRET, {
        workbook: '*',
        role,
        name: role,
        expiresAt: Date.now() + 3_600_000,
      }),
    async destroy() {
      await lb.destroy()
      for (const s of servers) await s.stop()
      await Promise.all([pg.destroy(), redis.destroy()])
      for (const d of dirs) await rm(d, { recursive: true, force: true })
    },
  }
}
