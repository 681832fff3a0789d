import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SNAPSHOT_MAGIC, SnapshotPacker } from './SnapshotPacker.js'

let packer: SnapshotPacker | undefined
afterEach(async () => {
  await packer?.close()
  packer = undefined
})

/** Three updates of one doc, as a room's stored records would be. */
function records(): { updates: Uint8Array[]; state: Record<string, unknown> } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  doc.getMap('m').set('a', 1)
  doc.getMap('m').set('b', '二')
  doc.getMap('m').delete('a')
  const state = doc.getMap('m').toJSON()
  doc.destroy()
  return { updates, state }
}

describe('SnapshotPacker', () => {
  it('packs records into gzip of the framed records and unpacks them into one update of the whole doc', async () => {
    packer = new SnapshotPacker()
    const { updates, state } = records()
    const copies = updates.map((u) => u.slice())
    const p = await packer.pack(copies)
    const framed = gunzipSync(p.packed)
    expect(framed.subarray(0, 4).toString('latin1')).toBe(SNAPSHOT_MAGIC)
    expect(p.raw).toBe(framed.length)
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/)
    const merged = await packer.unpack(p.packed)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, merged)
    expect(doc.getMap('m').toJSON()).toEqual(state)
    // The same records hash the same; other records differently.
    expect((await packer.pack(updates.map((u) => u.slice()))).hash).toBe(p.hash)
    expect((await packer.pack(updates.slice(0, 2).map((u) => u.slice()))).hash).not.toBe(p.hash)
  })

  it('compresses large snapshots in several gzip members that read back as one stream', async () => {
    packer = new SnapshotPacker()
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'x'.repeat(3 << 20))
    const big = Y.encodeStateAsUpdate(doc)
    const p = await packer.pack([big])
    expect(gunzipSync(p.packed).length).toBe(p.raw)
    const back = new Y.Doc()
    Y.applyUpdate(back, await packer.unpack(p.packed))
    expect(back.getText('t').length).toBe(3 << 20)
  })

  it('never detaches a view into a shared buffer (Node Buffer pool); owned arrays are handed over', async () => {
    packer = new SnapshotPacker()
    const { updates } = records()
    const pooled = Buffer.from(updates[0]!) // small: a view into Node's 8 KiB pool
    const neighbour = Buffer.from('neighbour in the pool')
    expect(pooled.buffer).toBe(neighbour.buffer)
    const owned = updates[1]!.slice()
    await packer.pack([pooled, owned, updates[2]!.slice()])
    expect(Buffer.from(pooled).equals(Buffer.from(updates[0]!))).toBe(true)
    expect(neighbour.toString()).toBe('neighbour in the pool')
    expect(owned.byteLength).toBe(0) // transferred
  })

  it('rejects bytes that are not a snapshot, and keeps working after', async () => {
    packer = new SnapshotPacker()
    await expect(packer.unpack(new Uint8Array([1, 2, 3]))).rejects.toThrow(/snapshot/)
    const { updates } = records()
    const p = await packer.pack(updates.map((u) => u.slice()))
    expect((await packer.unpack(p.packed)).length).toBeGreaterThan(0)
  })
})
