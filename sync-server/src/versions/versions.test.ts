import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Workbook } from '@taizhang/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type RunningServer, startServer } from '../main.js'
import type { DocStore } from '../storage/DocStore.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import {
  type Client,
  connectClient,
  ownChangesDurable,
  SECRET,
  silent,
  synced,
  tokenFor,
  waitFor,
} from '../test/helpers.js'
import { createLevelVersionStore } from './levelVersionStore.js'
import { VersionKeeper } from './VersionKeeper.js'

// A real server on port 0 with a LevelDB version store in a temp dir, real y-websocket clients,
// plain fetch for the API (issue 13 §3).

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 4, 6, 1, 0, 0)
/** Tokens valid long past every clock the tests move to. */
const token = (role: 'editor' | 'viewer', workbook = '*', name: string = role) =>
  tokenFor(role, workbook, { name, expiresAt: Date.now() + 400 * 24 * HOUR })

let server: RunningServer | undefined
let dir: string | undefined
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await server?.close()
  server = undefined
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

/** Starts a server whose clock is `clock.now` (the tests move it), versions in LevelDB. */
async function start(store: DocStore = createMemoryDocStore(), clock = { now: Date.now() }) {
  dir = await mkdtemp(join(tmpdir(), 'tz-versions-api-'))
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    secret: SECRET,
    log: silent,
    webDir: '/nonexistent-web-dist',
    versions: await createLevelVersionStore(dir),
    versionEveryMs: HOUR,
    now: () => clock.now,
  })
  return { server, wsBase: `ws://127.0.0.1:${server.port}/sync`, http: server.url, clock }
}

/** Stores a workbook with one sheet and rows `values` under `id`, as the server would. */
async function storeWorkbook(store: DocStore, id: string, values: string[]): Promise<void> {
  const doc = new Y.Doc()
  const wb = Workbook.create(doc, { title: id })
  const s = wb.sheet(wb.addSheet('名单'))
  const col = s.addColumn({ name: '姓名', type: 'text' })
  s.insertRows(values.map((v) => ({ [col]: v })))
  await store.append(id, Y.encodeStateAsUpdate(doc))
  doc.destroy()
}

/** The values of the first column of the first sheet of a workbook given as one Yjs update. */
function namesIn(update: Uint8Array): unknown[] {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  const wb = Workbook.open(doc).workbook
  const sheet = wb.sheet(wb.listSheets()[0]!.id)
  const col = sheet.columns()[0]!.id
  const out = sheet.readRows().map((r) => r.cells[col] ?? null)
  doc.destroy()
  return out
}

const call = (base: string, path: string, tok?: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...(init.headers ?? {}) },
  })
const post = (base: string, path: string, tok: string | undefined, body: unknown) =>
  call(base, path, tok, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

interface VersionBody {
  id: string
  name: string
  kind: string
  createdAt: number
  author: string
  bytes: number
}

describe('versions API', () => {
  it('an editor saves a named version of a live workbook; it lists, and opens as the state it had', async () => {
    const { http, wsBase, clock } = await start()
    const c = connectClient(wsBase, 'wb1', token('editor'), { ack: true })
    clients.push(c)
    await synced(c)
    const wb = Workbook.create(c.doc, { title: '救助台账' })
    const sheet = wb.sheet(wb.addSheet('名单'))
    const col = sheet.addColumn({ name: '姓名', type: 'text' })
    const [row] = sheet.insertRows([{ [col]: '王芳' }, { [col]: '李强' }])
    await waitFor(() => ownChangesDurable(c), 'edits durable')

    const made = await post(http, '/api/workbooks/wb1/versions', token('editor', 'wb1', '张三'), {
      name: '月初',
    })
    expect(made.status).toBe(201)
    const { version } = (await made.json()) as { version: VersionBody }
    expect(version).toMatchObject({
      name: '月初',
      kind: 'manual',
      author: '张三',
      createdAt: clock.now,
    })
    expect(version.bytes).toBeGreaterThan(0)
    expect(Object.keys(version).sort()).toEqual([
      'author',
      'bytes',
      'createdAt',
      'id',
      'kind',
      'name',
    ])

    // Later edits do not reach the version.
    sheet.setCell(row!, col, '王芳芳')
    await waitFor(() => ownChangesDurable(c), 'edit durable')
    clock.now += 60_000
    const imp = await post(http, '/api/workbooks/wb1/versions', token('editor'), { kind: 'import' })
    expect(imp.status).toBe(201)
    const second = ((await imp.json()) as { version: VersionBody }).version
    expect(second).toMatchObject({ kind: 'import', name: '' })

    const list = await call(http, '/api/workbooks/wb1/versions', token('viewer', 'wb1'))
    expect(list.status).toBe(200)
    const { versions } = (await list.json()) as { versions: VersionBody[] }
    expect(versions.map((v) => v.id)).toEqual([second.id, version.id])
    expect(versions[1]).toEqual(version)

    const got = await call(
      http,
      `/api/workbooks/wb1/versions/${version.id}`,
      token('viewer', 'wb1'),
    )
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toBe('application/octet-stream')
    expect(namesIn(new Uint8Array(await got.arrayBuffer()))).toEqual(['王芳', '李强'])
    const now = await call(http, `/api/workbooks/wb1/versions/${second.id}`, token('editor'))
    expect(namesIn(new Uint8Array(await now.arrayBuffer()))).toEqual(['王芳芳', '李强'])
  })

  it('a viewer may list and open versions but not save one (403, zh-CN + English)', async () => {
    const store = createMemoryDocStore()
    await storeWorkbook(store, 'wb2', ['甲'])
    const { http } = await start(store)
    const v = (
      (await (await post(http, '/api/workbooks/wb2/versions', token('editor'), {})).json()) as {
        version: VersionBody
      }
    ).version
    const viewer = token('viewer', 'wb2')
    expect((await call(http, '/api/workbooks/wb2/versions', viewer)).status).toBe(200)
    expect((await call(http, `/api/workbooks/wb2/versions/${v.id}`, viewer)).status).toBe(200)
    const refused = await post(http, '/api/workbooks/wb2/versions', viewer, { name: 'x' })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({
      error: 'version-editor-only',
      zh: expect.stringContaining('只读'),
      en: expect.stringContaining('Viewers'),
    })
    // Nothing was written.
    const { versions } = (await (
      await call(http, '/api/workbooks/wb2/versions', viewer)
    ).json()) as {
      versions: VersionBody[]
    }
    expect(versions).toHaveLength(1)
  })

  it('answers bad ids, unknown workbooks, bad bodies and bad tokens with 4xx and both languages', async () => {
    const store = createMemoryDocStore()
    await storeWorkbook(store, 'wb3', ['甲'])
    const { http } = await start(store)
    const ed = token('editor')
    const expectError = async (r: Response, status: number, code: string) => {
      expect(r.status).toBe(status)
      const body = (await r.json()) as { error: string; zh: string; en: string }
      expect(body.error).toBe(code)
      expect(body.zh.length).toBeGreaterThan(0)
      expect(body.en.length).toBeGreaterThan(0)
    }
    await expectError(
      await call(http, '/api/workbooks/wb3/versions/nope', ed),
      404,
      'version-not-found',
    )
    await expectError(
      await call(http, '/api/workbooks/wb3/versions/000000000-00000000', ed),
      404,
      'version-not-found',
    )
    await expectError(
      await call(http, '/api/workbooks/ghost/versions', ed),
      404,
      'workbook-not-found',
    )
    await expectError(
      await post(http, '/api/workbooks/ghost/versions', ed, {}),
      404,
      'workbook-not-found',
    )
    await expectError(
      await call(http, '/api/workbooks/bad%20id/versions', ed),
      400,
      'bad-workbook-id',
    )
    await expectError(
      await post(http, '/api/workbooks/wb3/versions', ed, '{not json'),
      400,
      'bad-version-request',
    )
    await expectError(
      await post(http, '/api/workbooks/wb3/versions', ed, { kind: 'auto' }),
      400,
      'bad-version-request',
    )
    await expectError(
      await post(http, '/api/workbooks/wb3/versions', ed, { name: 'x'.repeat(101) }),
      400,
      'bad-version-request',
    )
    await expectError(await call(http, '/api/workbooks/wb3/versions'), 401, 'token-missing')
    await expectError(
      await call(http, '/api/workbooks/wb3/versions', token('editor', 'other')),
      403,
      'token-other-workbook',
    )
    await expectError(
      await call(http, '/api/workbooks/wb3/versions', ed, { method: 'DELETE' }),
      405,
      'versions-method',
    )
    // None of that stored a version.
    expect(await server!.versions!.list('wb3')).toEqual([])
  })
})

describe('scheduled versions', () => {
  it('captures only the rooms that changed since their last version, once per period', async () => {
    const store = createMemoryDocStore()
    await storeWorkbook(store, 'busy', ['甲'])
    await storeWorkbook(store, 'quiet', ['乙'])
    const { wsBase, clock } = await start(store, { now: T0 })
    const keeper = server!.versions!
    // First pass after start: every stored room (they may have changed before a restart).
    expect(await keeper.tick()).toHaveLength(2)
    expect(await keeper.tick()).toEqual([])

    const c = connectClient(wsBase, 'busy', token('editor'), { ack: true })
    clients.push(c)
    await synced(c)
    const wb = Workbook.open(c.doc).workbook
    const sheet = wb.sheet(wb.listSheets()[0]!.id)
    const col = sheet.columns()[0]!.id
    sheet.setCell(sheet.readRows()[0]!.id, col, '甲乙')
    await waitFor(() => ownChangesDurable(c), 'edit durable')

    // Changed, but its last version is 10 minutes old: not due yet, kept for the next pass.
    clock.now += 10 * 60_000
    expect(await keeper.tick()).toEqual([])
    clock.now += HOUR
    const made = await keeper.tick()
    expect(made).toHaveLength(1)
    const busy = await keeper.list('busy')
    const quiet = await keeper.list('quiet')
    expect(busy.map((v) => v.id)).toContain(made[0])
    expect(busy[0]).toMatchObject({ kind: 'auto', author: 'system', createdAt: clock.now })
    expect(quiet).toHaveLength(1)
    const snap = await keeper.read('busy', made[0]!)
    expect(namesIn(snap!)).toEqual(['甲乙'])

    // Nothing changed since: later passes take nothing.
    clock.now += 2 * HOUR
    expect(await keeper.tick()).toEqual([])
    expect(await keeper.list('busy')).toHaveLength(2)
  })

  it('after a restart every stored room is looked at, and one whose records did not change gets no version', async () => {
    const docs = createMemoryDocStore()
    await storeWorkbook(docs, 'same', ['甲'])
    dir = await mkdtemp(join(tmpdir(), 'tz-versions-restart-'))
    const versions = await createLevelVersionStore(dir)
    let now = T0
    const keeperAt = () =>
      new VersionKeeper({
        store: versions,
        source: { read: async (room) => docs.load(room) },
        listRooms: () => docs.list(),
        log: silent,
        now: () => now,
        everyMs: HOUR,
      })
    const first = keeperAt()
    expect(await first.tick()).toHaveLength(1)
    await first.stop()
    // "Restart": a new keeper, two hours later, nothing written meanwhile.
    now += 2 * HOUR
    const second = keeperAt()
    expect(await second.tick()).toEqual([])
    // A real change through the watched store is captured at the next due pass.
    const doc = new Y.Doc()
    for (const u of await docs.load('same')) Y.applyUpdate(doc, u)
    const before = Y.encodeStateVector(doc)
    const wb = Workbook.open(doc).workbook
    const sheet = wb.sheet(wb.listSheets()[0]!.id)
    sheet.setCell(sheet.readRows()[0]!.id, sheet.columns()[0]!.id, '丙')
    await second.watch(docs).append('same', Y.encodeStateAsUpdate(doc, before))
    now += 2 * HOUR
    const made = await second.tick()
    expect(made).toHaveLength(1)
    expect(namesIn((await second.read('same', made[0]!))!)).toEqual(['丙'])
    await second.stop()
    await versions.close()
  })
})
