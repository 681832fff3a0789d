export * from './attestation.js'
export * from './editIds.js'
