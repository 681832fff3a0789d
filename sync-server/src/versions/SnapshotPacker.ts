import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** A room's state packed for storage: gzip of the merged Yjs update, and the update's SHA-256. */
export interface PackedSnapshot {
  packed: Uint8Array
  /** SHA-256 (hex) of the uncompressed update. */
  hash: string
  /** Bytes of the uncompressed update. */
  raw: number
}

// The worker's whole program. Plain CommonJS in a string (an `eval` worker) because the server
// runs as one esbuild bundle (dist/cli.mjs), which has no separate file to start a worker from;
// yjs is loaded from the path the server itself resolves. Merging a 100,000-row workbook's
// records takes ~1–2 s of CPU and gzip another ~0.5–1.5 s: all of it here, on a thread whose nice
// value is raised (Linux nice values are per thread), so it yields the cores to the event loop
// and to the sync traffic.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { gzipSync } = require('node:zlib')
const { createHash } = require('node:crypto')
try { require('node:os').setPriority(0, workerData.nice) } catch {}
const Y = require(workerData.yjs)
parentPort.on('message', ({ id, updates }) => {
  try {
    const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
    const hash = createHash('sha256').update(update).digest('hex')
    const packed = gzipSync(update, { level: workerData.level })
    const own = packed.byteOffset === 0 && packed.byteLength === packed.buffer.byteLength
    parentPort.postMessage({ id, ok: true, packed, hash, raw: update.length }, own ? [packed.buffer] : [])
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String((err && err.message) || err) })
  }
})
`

type Waiter = { resolve: (p: PackedSnapshot) => void; reject: (e: Error) => void }

/**
 * Merges, hashes and compresses snapshots on a worker thread, so taking a version of a large
 * workbook costs the event loop only the copy of its records to the worker (measured in
 * bench/versions/). One worker, started on first use, unref'd (it never keeps the process alive),
 * restarted after a crash; requests are answered in order.
 */
export class SnapshotPacker {
  private worker: Worker | null = null
  private nextId = 0
  private readonly waiting = new Map<number, Waiter>()

  constructor(private readonly opts: { level?: number; nice?: number } = {}) {}

  /**
   * Merges, hashes and compresses `updates`, which are handed over: each that alone spans its
   * ArrayBuffer is transferred to the worker (detached here), not copied. Copying a 100,000-row
   * workbook's 20 MB cost the event loop 13–45 ms; a transfer costs ~0.2 ms. Views into a shared
   * buffer (Node's 8 KiB Buffer pool) are copied, never transferred.
   */
  pack(updates: Uint8Array[]): Promise<PackedSnapshot> {
    const worker = this.start()
    const id = this.nextId++
    const transfer: ArrayBuffer[] = []
    for (const u of updates) {
      if (
        u.buffer instanceof ArrayBuffer &&
        u.byteOffset === 0 &&
        u.byteLength === u.buffer.byteLength &&
        !transfer.includes(u.buffer)
      )
        transfer.push(u.buffer)
    }
    return new Promise<PackedSnapshot>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage({ id, updates }, transfer)
    })
  }

  /** Stops the worker; requests in flight are rejected. */
  async close(): Promise<void> {
    const w = this.worker
    this.worker = null
    this.failAll(new Error('SnapshotPacker closed'))
    await w?.terminate()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const yjs = createRequire(import.meta.url).resolve('yjs')
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { yjs, level: this.opts.level ?? 6, nice: this.opts.nice ?? 10 },
    })
    w.unref()
    w.on(
      'message',
      (
        m:
          | { id: number; ok: true; packed: Uint8Array; hash: string; raw: number }
          | { id: number; ok: false; message: string },
      ) => {
        const waiter = this.waiting.get(m.id)
        this.waiting.delete(m.id)
        if (!waiter) return
        if (m.ok) waiter.resolve({ packed: m.packed, hash: m.hash, raw: m.raw })
        else waiter.reject(new Error(`snapshot: ${m.message}`))
      },
    )
    const lost = (err: Error) => {
      if (this.worker !== w) return
      this.worker = null
      this.failAll(err)
    }
    w.on('error', lost)
    w.on('exit', (code) => lost(new Error(`snapshot worker exited (${code})`)))
    this.worker = w
    return w
  }

  private failAll(err: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(err)
    this.waiting.clear()
  }
}
