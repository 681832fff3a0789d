import { describe, expect, it } from 'vitest'
import { KeyedQueue } from './DocStore.js'

describe('KeyedQueue', () => {
  it('starts a task for an idle key in the caller’s turn (an append reaches the engine at once)', async () => {
    const q = new KeyedQueue()
    let started = false
    const done = q.run('a', async () => {
      started = true
    })
    expect(started).toBe(true)
    await done
  })

  it('runs a busy key’s tasks one after another, in order, past failures; other keys are not held up', async () => {
    const q = new KeyedQueue()
    const log: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const first = q.run('a', async () => {
      log.push('a1 start')
      await gate
      log.push('a1 end')
    })
    const second = q.run('a', async () => {
      log.push('a2')
      throw new Error('a2 failed')
    })
    const third = q.run('a', async () => {
      log.push('a3')
    })
    await q.run('b', async () => {
      log.push('b1')
    })
    expect(log).toEqual(['a1 start', 'b1'])
    release()
    await first
    await expect(second).rejects.toThrow('a2 failed')
    await third
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2', 'a3'])
  })

  it('turns a task that throws synchronously into a rejection', async () => {
    const q = new KeyedQueue()
    const p = q.run('a', (() => {
      throw new Error('sync throw')
    }) as () => Promise<void>)
    await expect(p).rejects.toThrow('sync throw')
    await q.run('a', async () => undefined)
  })
})
