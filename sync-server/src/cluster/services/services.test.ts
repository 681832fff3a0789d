import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startHaproxy } from './haproxyService.js'
import { startPostgres } from './postgresService.js'
import { startRedis } from './redisService.js'

describe('throwaway services (Debian packages, 127.0.0.1, temp dirs, stopped by pid)', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it('PostgreSQL keeps a committed row across an immediate stop (crash) and restart, fsync on', async () => {
    const pgs = await startPostgres()
    cleanups.push(() => pgs.destroy())
    const c1 = new pg.Client({ connectionString: pgs.url })
    await c1.connect()
    expect((await c1.query('SHOW fsync')).rows[0].fsync).toBe('on')
    expect((await c1.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on')
    await c1.query('CREATE TABLE t (v int)')
    await c1.query('INSERT INTO t VALUES (42)')
    await c1.end()
    await pgs.stop('immediate')
    await pgs.start()
    const c2 = new pg.Client({ connectionString: pgs.url })
    await c2.connect()
    expect((await c2.query('SELECT v FROM t')).rows).toEqual([{ v: 42 }])
    await c2.end()
  })

  it('Redis keeps a stream across a SIGTERM restart (append-only file)', async () => {
    const r = await startRedis()
    cleanups.push(() => r.destroy())
    const c = new Redis(r.url, { lazyConnect: true, maxRetriesPerRequest: 0 })
    await c.connect()
    await c.xadd('s', '*', 'k', 'v')
    c.disconnect()
    await r.stop('SIGTERM')
    await r.start()
    const c2 = new Redis(r.url, { lazyConnect: true, maxRetriesPerRequest: 0 })
    await c2.connect()
    expect(await c2.xlen('s')).toBe(1)
    c2.disconnect()
  })

  it('HAProxy spreads requests over the backends and skips a dead one', async () => {
    const servers = await Promise.all(
      [1, 2].map(
        (n) =>
          new Promise<ReturnType<typeof createServer>>((resolve) => {
            const s = createServer((_req, res) => res.end(`b${n}`))
            s.listen(0, '127.0.0.1', () => resolve(s))
          }),
      ),
    )
    const ports = servers.map((s) => (s.address() as AddressInfo).port)
    const lb = await startHaproxy(ports, { checkMs: 200 })
    cleanups.push(() => lb.destroy())
    const seen = new Set<string>()
    for (let i = 0; i < 6; i++) seen.add(await (await fetch(lb.url)).text())
    expect(seen).toEqual(new Set(['b1', 'b2']))
    await new Promise<void>((r) => servers[0]!.close(() => r()))
    servers[0]!.closeAllConnections()
    const after: string[] = []
    for (let i = 0; i < 6; i++) after.push(await (await fetch(lb.url)).text())
    expect(after).toEqual(Array(6).fill('b2'))
    servers[1]!.closeAllConnections()
    await new Promise<void>((r) => servers[1]!.close(() => r()))
  })
})
