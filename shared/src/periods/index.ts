export * from './period.js'
export * from './ranges.js'
export * from './retype.js'
