// versions (issue 13 §3): compare a version with now, roll back to it, copy it into a new workbook
export * from './compare.js'
export * from './copy.js'
export * from './definitions.js'
export * from './rollback.js'
