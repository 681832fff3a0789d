import { describeDocStore } from './docStore.contract.js'
import { createMemoryDocStore } from './memoryDocStore.js'

describeDocStore('memory', async () => ({ store: createMemoryDocStore() }))
