/**
 * Starts one sync server in this process, for the server bench: `taizhang` (ours), `reference`
 * (@y/websocket-server 0.1.1) or `relay` (forwards frames within a room, no Yjs). All three listen
 * on 127.0.0.1 with an http server + ws upgrade at /sync/<room>, and print `PORT <n>` when ready.
 * SIGUSR2 runs a full GC (started with --expose-gc) so RSS readings are comparable.
 */

import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const kind = process.argv[2]
const fromServer = createRequire(new URL('../../sync-server/package.json', import.meta.url))
const ws = fromServer('ws') as typeof import('ws')

process.on('SIGUSR2', () => {
  ;(globalThis as { gc?: () => void }).gc?.()
  if (process.env.BENCH_MEM) {
    const m = process.memoryUsage()
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`
    process.stderr.write(
      `[${kind}] rss ${mib(m.rss)} heapUsed ${mib(m.heapUsed)} heapTotal ${mib(m.heapTotal)} external ${mib(m.external)} arrayBuffers ${mib(m.arrayBuffers)}\n`,
    )
  }
})

if (kind === 'taizhang') {
  const { pino } = fromServer('pino') as typeof import('pino')
  const { startServer } = await import('../../sync-server/src/main.js')
  const { createLevelDocStore } = await import('../../sync-server/src/storage/levelDocStore.js')
  const dir = mkdtempSync(join(tmpdir(), 'tz-bench-'))
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store: await createLevelDocStore(dir),
    secret: process.env.BENCH_SECRET ?? 'bench-secret-0123456789',
    log: pino({ level: 'warn' }),
    webDir: '/nonexistent',
  })
  process.stdout.write(`PORT ${server.port}\n`)
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
} else if (kind === 'reference') {
  const utils = fromServer('@y/websocket-server/utils') as {
    setupWSConnection: (conn: unknown, req: unknown, opts?: { docName?: string }) => void
  }
  const http = createServer((_q, r) => r.end('ok'))
  const wss = new ws.WebSocketServer({ noServer: true })
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (conn) => {
      const docName = new URL(req.url ?? '/', 'http://x').pathname.slice('/sync/'.length)
      utils.setupWSConnection(conn, req, { docName })
    })
  })
  http.listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(http.address() as AddressInfo).port}\n`)
  })
} else if (kind === 'relay') {
  const rooms = new Map<string, Set<import('ws').WebSocket>>()
  const http = createServer((_q, r) => r.end('ok'))
  const wss = new ws.WebSocketServer({ noServer: true, perMessageDeflate: false })
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (conn) => {
      const room = new URL(req.url ?? '/', 'http://x').pathname
      const peers = rooms.get(room) ?? new Set()
      rooms.set(room, peers)
      peers.add(conn)
      conn.on('message', (data, isBinary) => {
        for (const p of peers) if (p !== conn) p.send(data, { binary: isBinary })
      })
      conn.on('close', () => peers.delete(conn))
    })
  })
  http.listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(http.address() as AddressInfo).port}\n`)
  })
} else {
  process.stderr.write('usage: serverProcess.ts taizhang|reference|relay\n')
  process.exit(2)
}
