// The only import path for other packages: `import { … } from '@taizhang/shared'`.

// access (issue 16): roles, access rules, period locks, checkChange
export * from './access/index.js'
// attestation: server-vouched authors and receive times (issue 13 §4)
export * from './attest/index.js'
// issue 14 (ledger): periods, expressions, summaries, completeness, definitions in the doc
export * from './completeness/index.js'
export * from './csv/index.js'
export * from './demo/demoWorkbook.js'
export * from './expr/index.js'
// history: cell and row history, conflicts, settling, trash (issue 13)
export * from './history/index.js'
export * from './model/definitions.js'
export * from './model/index.js'
export * from './periods/index.js'
export * from './protocol/index.js'
export * from './schema/columnTypes.js'
// splits: the grid date editor's input, split out of schema/values.ts
export * from './schema/dateInput.js'
export * from './schema/inferColumnType.js'
export * from './schema/migrations.js'
export * from './schema/values.js'
export * from './summary/index.js'
export * from './validate/result.js'
export * from './validate/validateSheet.js'
// versions (issue 13 §3): compare a version with now, roll back to it
export * from './versions/index.js'
// versions-server (issue 13 §3): which stored versions to keep
export * from './versions/retention.js'
