export * from './aggregate.js'
export * from './exportSummary.js'
export * from './store.js'
export * from './summary.js'
