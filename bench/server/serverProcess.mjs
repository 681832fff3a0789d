/**
 * The two servers the bench compares ours with, in plain JavaScript on bare Node (ours runs as
 * its production CLI, `sync-server/bin/taizhang.mjs serve`, which is plain JavaScript too):
 * `reference` (@y/websocket-server 0.1.1, no persistence) or `relay` (forwards frames within a
 * room, no Yjs: the floor). Both listen on 127.0.0.1 with an http server + ws upgrade at
 * /sync/<room>, and print `PORT <n>` when ready.
 *
 *   node --expose-gc --import ./bench/server/gcOnSignal.mjs bench/server/serverProcess.mjs relay
 */
import { createServer } from 'node:http'
import { createRequire } from 'node:module'

const kind = process.argv[2]
const fromServer = createRequire(new URL('../../sync-server/package.json', import.meta.url))
const ws = fromServer('ws')

const listen = (http) =>
  http.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${http.address().port}\n`))

if (kind === 'reference') {
  const utils = fromServer('@y/websocket-server/utils')
  const http = createServer((_q, r) => r.end('ok'))
  const wss = new ws.WebSocketServer({ noServer: true })
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (conn) => {
      const docName = new URL(req.url ?? '/', 'http://x').pathname.slice('/sync/'.length)
      utils.setupWSConnection(conn, req, { docName })
    })
  })
  listen(http)
} else if (kind === 'relay') {
  const rooms = new Map()
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
  listen(http)
} else {
  process.stderr.write('usage: serverProcess.mjs reference|relay\n')
  process.exit(2)
}
