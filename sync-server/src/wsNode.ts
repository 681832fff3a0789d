import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

// Loads the Node build of ws by file path: under vitest the root config's solid plugin adds the
// `browser` resolve condition (also for require), which maps `ws` to a stub that throws.
const require = createRequire(import.meta.url)
const ws = require(
  join(dirname(require.resolve('ws/package.json')), 'index.js'),
) as typeof import('ws')

export const WebSocket = ws.WebSocket
export const WebSocketServer = ws.WebSocketServer
export type WebSocket = import('ws').WebSocket
export type WebSocketServer = import('ws').WebSocketServer
