import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleCli, SECRET, spawnServer, tempDir } from '../test/helpers.js'
import { type PostgresService, startPostgres } from './services/postgresService.js'
import { type RedisService, startRedis } from './services/redisService.js'

// The real CLI: `taizhang serve --store postgres://… --bus redis://…`, and its refusals.
describe('taizhang serve --store / --bus', () => {
  let pgs: PostgresService
  let redis: RedisService
  beforeAll(async () => {
    ;[pgs, redis] = await Promise.all([startPostgres(), startRedis()])
  })
  afterAll(async () => {
    await Promise.all([pgs?.destroy(), redis?.destroy()])
  })

  it('runs on PostgreSQL and Redis given as flags; /healthz and /metrics show the cluster', async () => {
    const dir = await tempDir()
    const srv = await spawnServer(dir.dir, ['--store', pgs.url, '--bus', redis.url])
    try {
      const health = (await (await fetch(`http://127.0.0.1:${srv.port}/healthz`)).json()) as Record<
        string,
        unknown
      >
      expect(health).toMatchObject({ ok: true, status: 'ok', store: 'ok', bus: 'ok' })
      const metrics = await (await fetch(`http://127.0.0.1:${srv.port}/metrics`)).text()
      expect(metrics).toContain('taizhang_store_up 1')
      expect(metrics).toContain('taizhang_bus_up 1')
    } finally {
      srv.child.kill('SIGTERM')
      await srv.exited
      await dir.cleanup()
    }
  })

  const refusal = async (args: string[]) => {
    const cli = await bundleCli()
    const dir = await tempDir()
    const child = spawn(cli, ['serve', '--port', '0', '--data', dir.dir, ...args], {
      env: { ...process.env, TAIZHANG_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString()
    })
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    await dir.cleanup()
    return { code, err }
  }

  it('refuses --bus without --store, and URLs of the wrong kind, in zh-CN and English', async () => {
    const noStore = await refusal(['--bus', redis.url])
    expect(noStore.code).not.toBe(0)
    expect(noStore.err).toContain('--bus 需要同时指定 --store')
    expect(noStore.err).toContain('--bus needs --store')
    const badStore = await refusal(['--store', 'mysql://x'])
    expect(badStore.code).not.toBe(0)
    expect(badStore.err).toContain('--store expects a postgres:// URL')
  })
})
