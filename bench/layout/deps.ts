/**
 * Resolves the bench's dependencies through the `shared` package, because the root package does
 * not list `@taizhang/shared`, `yjs` or `papaparse` yet. Everything here is the very module
 * instance the model uses: a second copy of yjs would break `instanceof` checks inside Yjs.
 * Once the root package.json lists them, replace this file with plain imports.
 */
import { createRequire } from 'node:module'
import type * as PapaType from '../../shared/node_modules/@types/papaparse/index.js'
import type * as YType from '../../shared/node_modules/yjs/dist/src/index.js'

// The ESM build, as `import 'yjs'` resolves it from shared/src (realpath → one instance).
export const Y: typeof YType = await import(
  new URL('../../shared/node_modules/yjs/dist/yjs.mjs', import.meta.url).href
)

const requireFromShared = createRequire(new URL('../../shared/package.json', import.meta.url))
export const Papa = requireFromShared('papaparse') as typeof PapaType

export type { Doc as YDoc, Map as YMap } from '../../shared/node_modules/yjs/dist/src/index.js'
export type { CellValue, ColumnType } from '../../shared/src/index.js'
export { keysBetween, seededRandom, Workbook } from '../../shared/src/index.js'
