export * from './attestation.js'
export * from './editIds.js'
export * from './removals.js'
