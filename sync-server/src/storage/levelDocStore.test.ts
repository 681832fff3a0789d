import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
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

// Every record a blob file: the contract holds for the large-record path too.
describeDocStore('level, records in blob files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tz-level-blob-'))
  return {
    store: await createLevelDocStore(dir, { blobMinBytes: 1 }),
    reopen: () => createLevelDocStore(dir, { blobMinBytes: 1 }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
})

describe('LevelDB store: blob files', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
  })
  const fresh = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tz-blobs-'))
    dirs.push(dir)
    return dir
  }
  const blobs = (dir: string) => readdir(join(dir, 'blobs'))
  const filled = (n: number, v: number) => new Uint8Array(n).fill(v)

  it('keeps records of blobMinBytes or more in files, smaller ones in LevelDB', async () => {
    const dir = await fresh()
    const store = await createLevelDocStore(dir, { blobMinBytes: 100 })
    await store.append('a', filled(99, 1))
    await store.append('a', filled(100, 2))
    await store.append('a', filled(5000, 3))
    expect(await blobs(dir)).toHaveLength(2)
    expect(await store.load('a')).toEqual([filled(99, 1), filled(100, 2), filled(5000, 3)])
    await store.close()
  })

  it('a compaction unlinks the blobs it replaced, and its own big record is a blob', async () => {
    const dir = await fresh()
    const store = await createLevelDocStore(dir, { blobMinBytes: 100 })
    await store.append('a', filled(200, 1))
    await store.append('a', filled(300, 2))
    await store.append('b', filled(400, 3))
    expect(await blobs(dir)).toHaveLength(3)
    await store.compact('a', filled(10, 4)) // small: back into LevelDB
    expect(await blobs(dir)).toHaveLength(1) // b's
    await store.compact('b', filled(500, 5))
    expect(await blobs(dir)).toHaveLength(1)
    expect(await store.load('a')).toEqual([filled(10, 4)])
    expect(await store.load('b')).toEqual([filled(500, 5)])
    await store.close()
  })

  it('removes unreferenced blob files at open (a crash between a blob and its batch) and keeps the rest', async () => {
    const dir = await fresh()
    let store = await createLevelDocStore(dir, { blobMinBytes: 100 })
    await store.append('a', filled(200, 1))
    await store.close()
    // What a crash after the blob's fsync, before its batch, leaves behind.
    await writeFile(join(dir, 'blobs', 'never-committed.yupdate'), filled(300, 9))
    expect(await blobs(dir)).toHaveLength(2)
    store = await createLevelDocStore(dir, { blobMinBytes: 100 })
    expect(await blobs(dir)).toHaveLength(1)
    expect(await store.load('a')).toEqual([filled(200, 1)])
    await store.close()
  })
})
