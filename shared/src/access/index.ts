export * from './accessDoc.js'
export * from './checkChange.js'
export * from './classifyUpdate.js'
export * from './roles.js'
