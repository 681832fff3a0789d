// The only import path for other packages: `import { … } from '@taizhang/shared'`.
export * from './schema/columnTypes.js'
export * from './model/index.js'
export * from './schema/migrations.js'
export * from './protocol/index.js'
