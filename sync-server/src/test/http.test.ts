import { spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyToken } from '../auth/tokens.js'
import { lockDataDir, readSecret, runningServer } from '../dataDir.js'
import { createLevelDocStore } from '../storage/levelDocStore.js'
import { bundleCli, startTestServer, type TestServer, tempDir } from './helpers.js'

let srv: TestServer | undefined
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await srv?.server.close()
  srv = undefined
  for (const f of cleanups.splice(0)) await f()
})

describe('HTTP', () => {
  it('serves the web app with SPA fallback and long cache for hashed assets', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    await mkdir(join(dir, 'assets'))
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>')
    await writeFile(join(dir, 'assets/index-abc123.js'), 'console.log(1)')
    srv = await startTestServer({ webDir: dir })
    const asset = await fetch(`${srv.http}/assets/index-abc123.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(asset.headers.get('content-type')).toContain('javascript')
    const spa = await fetch(`${srv.http}/w/some-workbook`)
    expect(await spa.text()).toContain('<title>app</title>')
    expect(spa.headers.get('cache-control')).toBe('no-cache')
    expect((await fetch(`${srv.http}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${srv.http}/..%2f..%2fetc/passwd`)).status).not.toBe(200)
  })

  it('says the web app is not built when web/dist is missing', async () => {
    srv = await startTestServer({ webDir: '/definitely/not/here' })
    const r = await fetch(`${srv.http}/`)
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('not built')
  })

  it('answers /healthz and /metrics in Prometheus text format', async () => {
    srv = await startTestServer()
    expect(await (await fetch(`${srv.http}/healthz`)).json()).toMatchObject({ ok: true })
    const text = await (await fetch(`${srv.http}/metrics`)).text()
    for (const name of [
      'taizhang_connections',
      'taizhang_rooms_loaded',
      'taizhang_messages_in_total',
      'taizhang_bytes_out_total',
      'taizhang_updates_rejected_total',
      'taizhang_storage_append_seconds_bucket{le="+Inf"}',
      'taizhang_compactions_total',
      'taizhang_reclaim_gcs_total 0',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(name)
    }
  })
})

describe('CLI and data dir', () => {
  it('token prints a verifiable token and a share link, with the secret serve would use', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const cli = await bundleCli()
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'token',
        '--workbook',
        'wb7',
        '--role',
        'viewer',
        '--name',
        '王五',
        '--data',
        dir,
        '--json',
      ],
      { encoding: 'utf8', env: { ...process.env, TAIZHANG_SECRET: '', TAIZHANG_PORT: '9999' } },
    )
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as { token: string; url: string }
    expect(out.url).toBe(`http://127.0.0.1:9999/#/w/wb7?token=${encodeURIComponent(out.token)}`)
    const { secret } = readSecret({ dataDir: dir }, {})
    const v = verifyToken(secret, out.token, Date.now())
    expect(v).toMatchObject({ ok: true, claims: { workbook: 'wb7', role: 'viewer', name: '王五' } })
    const help = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8' })
    expect(help.stdout).toContain('--allow-origin')
  })

  it('serves the app with a CSP (own scripts, the sync endpoint, no framing), no-referrer and nosniff', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><script type="module" src="/app.js"></script>',
    )
    await writeFile(join(dir, 'app.js'), 'export {}')
    srv = await startTestServer({ webDir: dir })
    for (const path of ['/', '/app.js', '/w/some-route']) {
      const res = await fetch(`${srv!.http}${path}`)
      expect(res.status).toBe(200)
      const csp = res.headers.get('content-security-policy') ?? ''
      const host = new URL(srv!.http).host
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe/)
      expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`)
      expect(csp).toContain("worker-src 'self' blob:")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
    }
  })

  it('ignores a stale server.lock and our own: only the store’s OS lock counts (dataDirLock.test.ts)', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    expect(runningServer(dir)).toBeNull()
    await writeFile(join(dir, 'server.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1 }))
    expect(runningServer(dir)).toBeNull()
    const release = lockDataDir(dir, { host: '127.0.0.1', port: 1 })
    // A lock naming a live other pid (the parent process) holds nothing.
    await writeFile(join(dir, 'server.lock'), JSON.stringify({ pid: process.ppid, port: 5 }))
    expect(runningServer(dir)).toBeNull()
    // This process holding the store's LOCK is not "another server".
    const store = await createLevelDocStore(join(dir, 'db'))
    expect(runningServer(dir)).toBeNull()
    expect(() => lockDataDir(dir, { host: 'h', port: 2 })).not.toThrow()
    await store.close()
    release()
  })
})
