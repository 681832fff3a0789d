import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { expiryInDays, shareUrl, signToken } from '../auth/tokens.js'
import { createCluster } from '../cluster/createCluster.js'
import {
  DB_DIR,
  explainStoreOpenError,
  lockDataDir,
  readSecret,
  resolveDataDir,
  resolveUserPath,
} from '../dataDir.js'
import type { Limits } from '../limits.js'
import { startServer } from '../main.js'
import { createLevelDocStore } from '../storage/levelDocStore.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { createLevelVersionStore, VERSIONS_DIR } from '../versions/levelVersionStore.js'
import { createMemoryVersionStore } from '../versions/memoryVersionStore.js'
import { createPostgresVersionStore } from '../versions/postgresVersionStore.js'
import { type Command, NETWORK_OPTIONS, parseCommandArgs, resolveNetwork } from './args.js'

const HELP = `
taizhang serve — run the Taizhang server (web app, sync WebSocket, share API) on one port

Options:
  --host <addr>          listen address (env TAIZHANG_HOST, default 127.0.0.1)
  --port <n>             listen port, 0 = any free (env TAIZHANG_PORT, default 8787)
  --data <dir>           data directory (env TAIZHANG_DATA, default ./data)
  --secret-file <file>   token signing secret (env TAIZHANG_SECRET holds the secret itself;
                         default: <data>/secret, generated on first run)
  --allow-origin <o>     extra allowed browser Origin, repeatable or comma-separated; * = any
                         (same-origin is always allowed)
  --public-url <url>     base of printed and shared links (env TAIZHANG_PUBLIC_URL)
  --web-dir <dir>        built web app (default: web/dist of this repository)
  --storage <kind>       level (default) or memory (tests only: nothing survives)
  --store <url>          postgres://user@host/db: keep documents in PostgreSQL, shared by several
                         servers (env TAIZHANG_STORE; replaces --storage; see docs/DEPLOY.md)
  --bus <url>            redis://host:port: fan edits and presence out between servers through
                         Redis Streams (env TAIZHANG_BUS; use with --store)
  --compact-after <n>    compact a room after n appended batches (default 500)
  --idle-unload-ms <n>   unload a room n ms after its last client left (default 30000)
  --max-frame-mib <n>    largest accepted WebSocket frame in MiB (default 64; larger closes 1009).
                         A client's first sync sends its whole workbook in one frame (~20 MB for
                         100,000 rows), so keep it above the largest workbook
  --log-level <level>    pino level (env TAIZHANG_LOG_LEVEL, default info)
  --dev-anonymous        anyone may edit without a token (development only; logged loudly)
  --no-attest            do not attest authors (issue 13 §4: binding client ids to token users
                         and recording receive times is on by default; off only for reference runs)
  --versions-every <m>   minutes between scheduled versions of a changed workbook (default 60;
                         0: none, versions are still taken on demand and before imports)
  -h, --help             show this help
`

/** The repository root: the nearest folder above this file holding pnpm-workspace.yaml. */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const up = dirname(dir)
    if (up === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
    dir = up
  }
}
const REPO_ROOT = findRepoRoot()
/** Lifetime of the `*` editor link printed at start (days). */
export const START_LINK_DAYS = 30

export const serve: Command = {
  name: 'serve',
  summary: 'run the server (web app + sync + share API) on one port',
  async run(argv) {
    const v = parseCommandArgs(
      argv,
      {
        ...NETWORK_OPTIONS,
        data: { type: 'string' },
        'secret-file': { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'web-dir': { type: 'string' },
        storage: { type: 'string' },
        store: { type: 'string' },
        bus: { type: 'string' },
        'compact-after': { type: 'string' },
        'idle-unload-ms': { type: 'string' },
        'max-frame-mib': { type: 'string' },
        'log-level': { type: 'string' },
        'versions-every': { type: 'string' }, // versions (issue 13 §3)
        'dev-anonymous': { type: 'boolean' },
        'no-attest': { type: 'boolean' },
      },
      HELP,
    )
    if (!v) return 0
    const env = process.env
    const net = resolveNetwork(v, env)
    const dataDir = resolveDataDir(v.data, env)
    const log = pino({ level: v['log-level'] ?? env.TAIZHANG_LOG_LEVEL ?? 'info' })
    const { secret, created } = readSecret({ secretFile: v['secret-file'], dataDir }, env)
    const release = lockDataDir(dataDir, { host: net.host, port: net.port })
    const limits: Partial<Limits> = {}
    if (v['compact-after']) limits.COMPACT_AFTER_APPENDS = positive(v['compact-after'])
    if (v['idle-unload-ms']) limits.ROOM_IDLE_UNLOAD_MS = positive(v['idle-unload-ms'])
    if (v['max-frame-mib'])
      limits.MAX_FRAME_BYTES = Math.round(positive(v['max-frame-mib']) * 2 ** 20)
    // cluster (issue #17): PostgreSQL store and Redis bus when asked for; else one server, LevelDB.
    const storeUrl = v.store ?? env.TAIZHANG_STORE
    const busUrl = v.bus ?? env.TAIZHANG_BUS
    if (storeUrl && !/^postgres(ql)?:\/\//.test(storeUrl))
      throw new Error(
        `--store 需要 postgres:// 地址 / --store expects a postgres:// URL, got ${storeUrl}`,
      )
    if (busUrl && !/^rediss?:\/\//.test(busUrl))
      throw new Error(`--bus 需要 redis:// 地址 / --bus expects a redis:// URL, got ${busUrl}`)
    if (busUrl && !storeUrl)
      throw new Error(
        '--bus 需要同时指定 --store（共享编辑的服务器必须共用一个 PostgreSQL）/ --bus needs --store: servers sharing edits must share one PostgreSQL store',
      )
    const cluster = storeUrl || busUrl ? await createCluster({ storeUrl, busUrl, log }) : undefined
    const store =
      cluster?.store ??
      (v.storage === 'memory'
        ? createMemoryDocStore()
        : // The store's own LOCK is the data dir's lock: refused while another process holds it.
          await createLevelDocStore(join(dataDir, DB_DIR)).catch((err: unknown) => {
            release()
            throw explainStoreOpenError(err, dataDir)
          }))
    // versions (issue 13 §3): beside the documents (PostgreSQL table, or <data>/versions LevelDB)
    const versionEveryMs =
      v['versions-every'] === undefined ? undefined : minutes(v['versions-every'])
    const versions = await (storeUrl
      ? createPostgresVersionStore(storeUrl)
      : v.storage === 'memory'
        ? Promise.resolve(createMemoryVersionStore())
        : createLevelVersionStore(join(dataDir, VERSIONS_DIR))
    ).catch(async (err: unknown) => {
      await cluster?.close()
      await store.close()
      release()
      throw err
    })
    const allowOrigins = (v['allow-origin'] ?? []).flatMap((o) => o.split(',')).filter(Boolean)
    let running: Awaited<ReturnType<typeof startServer>>
    try {
      running = await startServer({
        host: net.host,
        port: net.port,
        store,
        secret,
        log,
        webDir: resolveUserPath(v['web-dir'] ?? join(REPO_ROOT, 'web/dist'), env),
        publicUrl: net.publicUrl,
        allowOrigins,
        devAnonymous: v['dev-anonymous'] ?? false,
        attest: !v['no-attest'], // attestation (issue 13 §4), on by default
        limits,
        versions, // versions (issue 13 §3)
        versionEveryMs,
        // Exposed by the launcher (bin/taizhang.mjs runs Node with --expose-gc).
        gc: (globalThis as { gc?: () => void }).gc,
        cluster,
      })
    } catch (err) {
      await cluster?.close()
      await store.close()
      await versions.close()
      release()
      throw err
    }
    // Re-write the lock with the real port (matters for --port 0).
    release()
    const releaseLock = lockDataDir(dataDir, { host: net.host, port: running.port })
    log.info({ url: running.url, port: running.port, dataDir }, 'listening')

    const token = signToken(secret, {
      // The person who starts the server owns what it serves: sharing, access rules and structure
      // (issue 16 §1). Everyone else gets a link from them (分享) with the role they choose.
      workbook: '*',
      role: 'owner',
      name: 'owner',
      expiresAt: expiryInDays(Date.now(), START_LINK_DAYS),
    })
    process.stderr.write(
      `\n  Taizhang is running${created ? ' (first run: new secret in ' + dataDir + ')' : ''}.\n` +
        `  Open this link to create and edit workbooks (owner of all workbooks, ${START_LINK_DAYS} days):\n\n` +
        `    ${shareUrl(running.publicUrl, '*', token)}\n\n`,
    )

    return new Promise<number>((resolveExit) => {
      const stop = (signal: string) => {
        log.info({ signal }, 'shutting down')
        // Hard stop in case anything hangs past the 10 s promise.
        setTimeout(() => {
          log.error('shutdown timed out')
          process.exit(1)
        }, 10_000).unref()
        running
          .close()
          .then(
            () => 0,
            (err: unknown) => {
              log.error({ err }, 'shutdown failed')
              return 1
            },
          )
          .then((code) => {
            releaseLock()
            log.info('stopped')
            resolveExit(code)
          })
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
    })
  },
}

/** versions: `--versions-every` minutes (0 allowed: no schedule) → ms. */
function minutes(text: string): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--versions-every 需要不小于 0 的分钟数 / expects minutes ≥ 0, got ${text}`)
  return Math.round(n * 60_000)
}

function positive(text: string): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got ${text}`)
  return n
}
