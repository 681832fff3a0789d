import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeDocStore } from './docStore.contract.js'
import { createLevelDocStore } from './levelDocStore.js'

describeDocStore('level', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tz-level-'))
  return {
    store: await createLevelDocStore(dir),
    reopen: () => createLevelDocStore(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
})
