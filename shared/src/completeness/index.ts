export * from './completeness.js'
