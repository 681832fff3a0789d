import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** A room's state packed for storage, and the SHA-256 of what was packed. */
export interface PackedSnapshot {
  packed: Uint8Array
  /** SHA-256 (hex) of the framed records (the same records give the same hash). */
  hash: string
  /** Bytes before compression. */
  raw: number
}

/**
 * Stored format of a snapshot: gzip (one or more members) of
 *   "TZV1" varuint(count) { varuint(length) bytes }*count
 * the room's stored records as they were, not merged: merging a 100,000-row workbook's records
 * (`Y.mergeUpdates`) costs ~1 s of CPU, and it is needed only when someone opens the version, so
 * `unpack` does it then. The worker compresses 1 MiB slices, each a gzip member (their
 * concatenation is one valid gzip stream), resting as long as it worked after each: at most half a
 * core, in short bursts, so a capture never starves the sync traffic on a small server.
 */
export const SNAPSHOT_MAGIC = 'TZV1'

// The worker's whole program. Plain CommonJS in a string (an `eval` worker) because the server
// runs as one esbuild bundle (dist/cli.mjs), which has no separate file to start a worker from;
// yjs is loaded from the path the server itself resolves. Its nice value is raised (Linux nice
// values are per thread), so it yields the cores to the event loop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { gzipSync, gunzipSync } = require('node:zlib')
const { createHash } = require('node:crypto')
try { require('node:os').setPriority(0, workerData.nice) } catch {}
const Y = require(workerData.yjs)
const SLICE = 1 << 20
const nap = new Int32Array(new SharedArrayBuffer(4))
const rest = (ms) => { if (ms > 0) Atomics.wait(nap, 0, 0, ms) }
const varuint = (n, out) => { while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128) } out.push(n) }
function frame(updates) {
  const head = [...Buffer.from(workerData.magic)]
  varuint(updates.length, head)
  const parts = [Buffer.from(head)]
  for (const u of updates) { const len = []; varuint(u.length, len); parts.push(Buffer.from(len), u) }
  return Buffer.concat(parts)
}
function unframe(buf) {
  if (buf.subarray(0, 4).toString('latin1') !== workerData.magic) throw new Error('not a snapshot')
  let pos = 4
  const read = () => { let n = 0, mult = 1, b; do { b = buf[pos++]; n += (b & 127) * mult; mult *= 128 } while (b >= 128); return n }
  const count = read()
  const out = []
  for (let i = 0; i < count; i++) { const len = read(); out.push(buf.subarray(pos, pos + len)); pos += len }
  if (pos !== buf.length) throw new Error('snapshot length mismatch')
  return out
}
function pack(updates) {
  const framed = frame(updates)
  const hash = createHash('sha256')
  const members = []
  for (let at = 0; at < framed.length; at += SLICE) {
    const t = performance.now()
    const slice = framed.subarray(at, at + SLICE)
    hash.update(slice)
    members.push(gzipSync(slice, { level: workerData.level }))
    rest(performance.now() - t)
  }
  const packed = Buffer.concat(members)
  return { packed, hash: hash.digest('hex'), raw: framed.length }
}
function unpack(packed) {
  const updates = unframe(gunzipSync(packed))
  // A copy of a lone record owns its buffer, so it goes back by transfer, not by a main-thread clone.
  return updates.length === 1 ? new Uint8Array(updates[0]) : Y.mergeUpdates(updates)
}
const own = (u) => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? [u.buffer] : [])
parentPort.on('message', ({ id, op, data }) => {
  try {
    if (op === 'pack') {
      const r = pack(data)
      parentPort.postMessage({ id, ok: true, value: r }, own(r.packed))
    } else {
      const u = unpack(data)
      parentPort.postMessage({ id, ok: true, value: u }, own(u))
    }
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String((err && err.message) || err) })
  }
})
`

type Waiter = { resolve: (v: unknown) => void; reject: (e: Error) => void }

/** The ArrayBuffers of `arrays` that each array alone spans (safe to transfer). */
function transferable(arrays: readonly Uint8Array[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = []
  for (const u of arrays) {
    if (
      u.buffer instanceof ArrayBuffer &&
      u.byteOffset === 0 &&
      u.byteLength === u.buffer.byteLength &&
      !out.includes(u.buffer)
    )
      out.push(u.buffer)
  }
  return out
}

/**
 * Packs snapshots for storage and unpacks them for reading, on a worker thread, so taking or
 * opening a version of a large workbook costs the event loop only a hand-over (measured in
 * bench/versions/). One worker, started on first use, unref'd (it never keeps the process alive),
 * restarted after a crash; requests are answered in order.
 */
export class SnapshotPacker {
  private worker: Worker | null = null
  private nextId = 0
  private readonly waiting = new Map<number, Waiter>()

  constructor(private readonly opts: { level?: number; nice?: number } = {}) {}

  /**
   * Frames, hashes and compresses a room's records, which are handed over: each that alone spans
   * its ArrayBuffer is transferred to the worker (detached here), not copied (copying 20 MB cost
   * the event loop 13–45 ms, a transfer ~0.2 ms). Views into a shared buffer (Node's 8 KiB Buffer
   * pool) are copied, never transferred.
   */
  pack(records: Uint8Array[]): Promise<PackedSnapshot> {
    return this.call('pack', records, transferable(records)) as Promise<PackedSnapshot>
  }

  /** The stored bytes of a snapshot as one Yjs update of the whole workbook (merged here). */
  unpack(packed: Uint8Array): Promise<Uint8Array> {
    return this.call('unpack', packed, transferable([packed])) as Promise<Uint8Array>
  }

  /** Stops the worker; requests in flight are rejected. */
  async close(): Promise<void> {
    const w = this.worker
    this.worker = null
    this.failAll(new Error('SnapshotPacker closed'))
    await w?.terminate()
  }

  private call(op: 'pack' | 'unpack', data: unknown, transfer: ArrayBuffer[]): Promise<unknown> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage({ id, op, data }, transfer)
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const yjs = createRequire(import.meta.url).resolve('yjs')
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        yjs,
        magic: SNAPSHOT_MAGIC,
        level: this.opts.level ?? 6,
        nice: this.opts.nice ?? 10,
      },
    })
    w.unref()
    w.on(
      'message',
      (
        m: { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string },
      ) => {
        const waiter = this.waiting.get(m.id)
        this.waiting.delete(m.id)
        if (!waiter) return
        if (m.ok) waiter.resolve(m.value)
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
