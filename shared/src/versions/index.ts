// versions (issue 13 §3): compare a version with the workbook now, roll back to it
export * from './compare.js'
export * from './rollback.js'
