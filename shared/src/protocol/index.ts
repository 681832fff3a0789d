export * from './ack.js'
export * from './closeCodes.js'
export * from './messageTypes.js'
