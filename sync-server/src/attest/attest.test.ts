import { attestReceiptKey, CLOSE, ROOT_ATTEST, readAttestation } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { type Client, synced, type TestServer, waitFor } from '../test/helpers.js'
import { RECEIPT_COALESCE_MS } from './Attester.js'
import { attestHarness } from './testClients.js'

/** Attestation against the real server and real y-websocket clients (issue 13 §4). */
const { server, client } = attestHarness()

/** The close code the server sent this client's socket (y-websocket does not retry 44xx). */
function closeCode(c: Client): Promise<number> {
  return new Promise((resolve) => {
    c.provider.on('connection-close', (ev: { code: number } | null) => resolve(ev?.code ?? 0))
  })
}

/** What the server holds now, read by a fresh client. */
async function serverDoc(s: TestServer): Promise<Y.Doc> {
  const probe = client(s, 'u-probe', 'probe')
  await synced(probe)
  return probe.doc
}

describe('S8 attestation (issue 13 §4)', () => {
  it('is on by default; attest: false (serve --no-attest) records nothing', async () => {
    for (const attest of [undefined, false]) {
      const s = await server(createMemoryDocStore(), attest)
      const c = client(s, `u-${attest ?? 'default'}`, '甲')
      await synced(c)
      c.doc.getMap('cells').set('r1:c1', 1)
      const other = client(s, 'u-other', '乙')
      await synced(other)
      await waitFor(() => other.doc.getMap('cells').get('r1:c1') === 1, 'edit relayed')
      if (attest === undefined) {
        await waitFor(
          () => readAttestation(other.doc).authorOf(c.doc.clientID, 0).status === 'attested',
          'attested by default',
        )
      } else {
        // Everything the server holds is there (the edit arrived): no record was ever written.
        expect(other.doc.getMap(ROOT_ATTEST).size).toBe(0)
        expect(readAttestation(other.doc).authorOf(c.doc.clientID, 0)).toEqual({
          status: 'pending',
        })
      }
    }
  })

  it('names the author from the token, not the name the client chose, with the server receive time', async () => {
    const s = await server()
    const wang = client(s, 'u-wang', '王小明')
    const li = client(s, 'u-li', '李四')
    await Promise.all([synced(wang), synced(li)])
    // A forged display name: presence claims someone else; attestation ignores it.
    wang.provider.awareness.setLocalStateField('user', { name: '局长' })
    const before = Date.now()
    wang.doc.getMap('cells').set('r1:c1', 101)
    await waitFor(
      () => readAttestation(li.doc).authorOf(wang.doc.clientID, 0).status !== 'pending',
      'attested at li',
    )
    const a = readAttestation(li.doc).authorOf(wang.doc.clientID, 0)
    expect(a).toMatchObject({ status: 'attested', user: 'u-wang', name: '王小明' })
    expect(a.status === 'attested' && a.receivedAt >= before).toBe(true)
    expect(readAttestation(li.doc).binding(wang.doc.clientID)).toMatchObject({
      kind: 'user',
      user: 'u-wang',
    })
  })

  it('refuses a live edit under a client id bound to another user (4409, nothing stored); a handshake re-upload of it shows the uploader, not the victim', async () => {
    const s = await server()
    const alice = client(s, 'u-alice', 'Alice')
    await synced(alice)
    alice.doc.getMap('cells').set('a', 'alice-1')
    const id = alice.doc.clientID
    await waitFor(() => readAttestation(alice.doc).binding(id) !== undefined, 'alice bound')

    const forged = new Y.Doc()
    const mallory = client(s, 'u-mallory', 'Mallory', forged)
    await synced(mallory)
    // A reused client id: Yjs itself moves off an id it sees others use, so the forger sets it
    // back by hand after syncing.
    const ownId = forged.clientID
    const closed = closeCode(mallory)
    forged.clientID = id
    forged.getMap('cells').set('a', 'forged-live') // sent at once, under Alice's id
    forged.clientID = ownId // back before the close (y-protocols' awareness keys on it)
    expect(await closed).toBe(CLOSE.clientIdBound.code)
    const held = await serverDoc(s)
    expect(held.getMap('cells').get('a')).toBe('alice-1')
    expect(alice.doc.getMap('cells').get('a')).toBe('alice-1')

    // The same edit in a handshake (sync step 2) is accepted — a re-upload must never strand a
    // client — but the server vouches only for who delivered it.
    // Back with the same edits in a new tab: they go up in the handshake (sync step 2).
    const tab = new Y.Doc()
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(forged))
    const again = client(s, 'u-mallory', 'Mallory', tab)
    await synced(again)
    await waitFor(
      async () => (await serverDoc(s)).getMap('cells').get('a') === 'forged-live',
      'relayed',
    )
    const clock = Y.getState(forged.store, id) - 1
    await waitFor(
      () => readAttestation(alice.doc).authorOf(id, clock).status === 'relayed',
      'relay receipt',
    )
    expect(readAttestation(alice.doc).authorOf(id, clock)).toMatchObject({
      status: 'relayed',
      via: 'u-mallory',
    })
    expect(readAttestation(alice.doc).authorOf(id, 0)).toMatchObject({
      status: 'attested',
      user: 'u-alice',
    })
  })

  it('refuses a write to the binding record (4410): a set and a delete, nothing stored', async () => {
    const s = await server()
    const alice = client(s, 'u-alice', 'Alice')
    await synced(alice)
    alice.doc.getMap('cells').set('a', 1)
    await waitFor(() => alice.doc.getMap(ROOT_ATTEST).size > 0, 'records')
    const key = `c${alice.doc.clientID}`

    const eve = client(s, 'u-eve', 'Eve')
    await synced(eve)
    await waitFor(() => eve.doc.getMap(ROOT_ATTEST).has(key), 'eve sees binding')
    const closed = closeCode(eve)
    eve.doc.getMap(ROOT_ATTEST).set(key, { kind: 'user', user: 'u-eve', name: 'Eve', at: 0 })
    expect(await closed).toBe(CLOSE.attestWrite.code)

    const eve2 = client(s, 'u-eve2', 'Eve2')
    await synced(eve2)
    const closed2 = closeCode(eve2)
    eve2.doc.getMap(ROOT_ATTEST).delete(key)
    expect(await closed2).toBe(CLOSE.attestWrite.code)

    const held = await serverDoc(s)
    expect(readAttestation(held).binding(alice.doc.clientID)).toMatchObject({ user: 'u-alice' })
    expect(readAttestation(alice.doc).binding(alice.doc.clientID)).toMatchObject({
      user: 'u-alice',
    })
  })

  it("two tabs of one user: tab 2 uploads tab 1's offline edits live, bound to that user", async () => {
    const s = await server()
    const tab1 = new Y.Doc() // never connected (its edits reach tab 2 as through IndexedDB)
    tab1.getMap('cells').set('x', 'from tab 1')
    const tab2 = client(s, 'u-alice', 'Alice')
    await synced(tab2)
    Y.applyUpdate(tab2.doc, Y.encodeStateAsUpdate(tab1), 'indexeddb')
    await waitFor(
      () => readAttestation(tab2.doc).authorOf(tab1.clientID, 0).status === 'attested',
      'tab 1 edits attested',
    )
    expect(readAttestation(tab2.doc).authorOf(tab1.clientID, 0)).toMatchObject({ user: 'u-alice' })
    expect((await serverDoc(s)).getMap('cells').get('x')).toBe('from tab 1')
  })

  it("server restored from a backup: a client re-uploading another user's later edits is accepted, and the earlier server's receipts stay", async () => {
    const store = createMemoryDocStore()
    const s1 = await server(store)
    const alice = client(s1, 'u-alice', 'Alice')
    const bob = client(s1, 'u-bob', 'Bob')
    await Promise.all([synced(alice), synced(bob)])
    alice.doc.getMap('cells').set('a', 'v1')
    await waitFor(() => bob.doc.getMap('cells').get('a') === 'v1', 'v1 at bob')
    await s1.server.rooms.get('wb').then((r) => r.flush())
    const backup = createMemoryDocStore()
    for (const u of await store.load('wb')) await backup.append('wb', u)

    // Past the receipt coalescing window, so the first server writes a receipt of its own for v2.
    await new Promise((r) => setTimeout(r, RECEIPT_COALESCE_MS + 100))
    alice.doc.getMap('cells').set('a', 'v2')
    const v2clock = Y.getState(alice.doc.store, alice.doc.clientID) - 1
    await waitFor(
      () => bob.doc.getMap(ROOT_ATTEST).has(attestReceiptKey(alice.doc.clientID, v2clock)),
      'v2 receipt at bob',
    )
    // And an edit the first server never saw attested: Bob's own, made while it goes down.
    const bobId = bob.doc.clientID
    alice.provider.destroy()
    bob.provider.destroy()
    await s1.server.close()
    bob.doc.getMap('cells').set('b', 'offline')

    const s2 = await server(backup)
    const carol = client(s2, 'u-carol', 'Carol')
    await synced(carol)
    expect(carol.doc.getMap('cells').get('a')).toBe('v1')
    // Bob comes back (a reload: a new doc from what his browser kept).
    const kept = new Y.Doc()
    Y.applyUpdate(kept, Y.encodeStateAsUpdate(bob.doc))
    const bobBack = client(s2, 'u-bob', 'Bob', kept)
    let closedWith = 0
    bobBack.provider.on('connection-close', (ev: { code: number } | null) => {
      closedWith = ev?.code ?? 0
    })
    await synced(bobBack)
    await waitFor(() => carol.doc.getMap('cells').get('a') === 'v2', 'v2 re-uploaded').catch(
      (e) => {
        throw new Error(`${e} ${closedWith} ${JSON.stringify([...s2.server.metrics.rejected])}`)
      },
    )
    expect(closedWith).toBe(0)
    // Alice's v2 keeps the first server's receipt (it saw Alice send it).
    await waitFor(() => carol.doc.getMap('cells').get('b') === 'offline', 'offline edit')
    expect(readAttestation(carol.doc).authorOf(alice.doc.clientID, v2clock)).toMatchObject({
      status: 'attested',
      user: 'u-alice',
    })
    // Bob's offline edit came up in his handshake from his own (awareness) client id... or as a
    // relay when his presence had not arrived yet; either way never refused, and never Alice's.
    const bobs = readAttestation(carol.doc).authorOf(bobId, Y.getState(kept.store, bobId) - 1)
    expect(bobs.status === 'attested' ? bobs.user : bobs.status === 'relayed' ? bobs.via : '').toBe(
      'u-bob',
    )
  })
})
