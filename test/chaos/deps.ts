/**
 * The chaos harness's dependencies, resolved through the workspace packages that own them: the root
 * package lists neither `yjs` nor `y-websocket` nor `ws`. Each is the very module instance the
 * model and the server use (one realpath in the pnpm store): a second copy of yjs would break
 * `instanceof` checks inside Yjs. Once the root package.json lists them, replace this file with
 * plain imports.
 */
import { createRequire } from 'node:module'
import type * as WsType from '../../sync-server/node_modules/@types/ws/index.js'
import type * as YwsType from '../../sync-server/node_modules/y-websocket/dist/src/y-websocket.js'
import type * as YType from '../../sync-server/node_modules/yjs/dist/src/index.js'

const fromServer = createRequire(new URL('../../sync-server/package.json', import.meta.url))

// The ESM builds, as `import 'yjs'` / `import 'y-websocket'` resolve them from the packages' sources.
export const Y: typeof YType = await import(
  new URL('../../sync-server/node_modules/yjs/dist/yjs.mjs', import.meta.url).href
)
export const { WebsocketProvider }: typeof YwsType = await import(
  new URL('../../sync-server/node_modules/y-websocket/src/y-websocket.js', import.meta.url).href
)
/** The Node build of ws, loaded by file path (vitest's browser condition maps `ws` to a stub). */
export const WS = fromServer(
  fromServer.resolve('ws/package.json').replace(/package\.json$/, 'index.js'),
) as typeof WsType

export type YDoc = YType.Doc
export type YUndoManager = YType.UndoManager
export type WebsocketProviderT = YwsType.WebsocketProvider
export type WsSocket = WsType.WebSocket
