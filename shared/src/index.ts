// The only import path for other packages: `import { … } from '@taizhang/shared'`.

export * from './csv/index.js'
export * from './demo/demoWorkbook.js'
export * from './model/index.js'
// issue 14 (ledger): periods
export * from './periods/index.js'
export * from './protocol/index.js'
export * from './schema/columnTypes.js'
export * from './schema/inferColumnType.js'
export * from './schema/migrations.js'
export * from './schema/values.js'
export * from './validate/result.js'
export * from './validate/validateSheet.js'
