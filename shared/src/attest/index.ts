export * from './attestation.js'
