/**
 * The other client of the web benchmarks: a Node process with the same shared/ model code, on the
 * real server through y-websocket. It seeds a workbook of `rows` × 12 on the server (the app then
 * opens it from there) and stays connected, so its edits reach the page as remote updates.
 * Used by web.bench.ts (remote bursts) and conflicts.bench.ts (a batch racing offline edits).
 */
import { COLUMNS, generateRows } from '../layout/data.js'
import { type CellValue, Workbook, Y } from '../layout/deps.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface NodeClient {
  doc: InstanceType<typeof Y.Doc>
  wb: Workbook
  sheetId: string
  colIds: string[]
  rowIds: string[]
  /** Resolves once everything this client has sent has left its socket (bounded: 30 s). */
  drained(): Promise<void>
  destroy(): void
}

/**
 * Creates workbook `workbookId` on the server from a Node client: one sheet of `rows` rows of the
 * layout bench's 12 columns, sent in batches of 10,000 rows (each its own update, under the
 * server's 8 MB frame limit). `author` names the client's edits (default 基准).
 */
export async function seedAndConnect(
  origin: string,
  token: string,
  rows: number,
  workbookId: string,
  author: { id: string; name: string } = { id: 'bench-node', name: '基准' },
): Promise<NodeClient> {
  const { WebsocketProvider } = (await import(
    new URL('../../web/node_modules/y-websocket/src/y-websocket.js', import.meta.url).href
  )) as typeof import('../../web/node_modules/y-websocket/dist/src/y-websocket.js')
  const WS = (
    await import(new URL('../../sync-server/node_modules/ws/wrapper.mjs', import.meta.url).href)
  ).default
  const doc = new Y.Doc()
  const wb = Workbook.create(doc, { title: '杨浦区社工站月报台账', author })
  const sheetId = wb.addSheet('站点月报')
  const sheet = wb.sheet(sheetId)
  const colIds = COLUMNS.map((c) =>
    sheet.addColumn(
      c.type === 'enum'
        ? {
            name: c.name,
            type: c.type,
            constraints: {
              options: ['运营中', '筹建中', '暂停', '撤销'].map((value) => ({ value })),
            },
          }
        : c.type === 'money'
          ? { name: c.name, type: c.type, format: { unit: '万元' } }
          : { name: c.name, type: c.type },
    ),
  )
  const records = generateRows(rows).map((values) => {
    const rec: Record<string, CellValue> = {}
    for (let c = 0; c < colIds.length; c++) rec[colIds[c]!] = values[c] ?? null
    return rec
  })
  const provider = new WebsocketProvider(origin.replace(/^http/, 'ws') + '/sync', workbookId, doc, {
    params: { token },
    WebSocketPolyfill: WS,
    disableBc: true,
  })
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('node client did not sync')), 60_000)
    provider.on('sync', (s: boolean) => {
      if (s) {
        clearTimeout(timer)
        ok()
      }
    })
  })
  const drained = async () => {
    const ws = provider.ws as { bufferedAmount: number } | null
    for (let k = 0; k < 600 && ws && ws.bufferedAmount > 0; k++) await sleep(50)
  }
  // The server refuses frames over 8 MB (MAX_FRAME_BYTES): insert in batches of 10,000 rows
  // (about 2 MB each), as the CSV import does, each its own transaction and update.
  for (let i = 0; i < records.length; i += 10_000) {
    sheet.insertRows(records.slice(i, i + 10_000), i === 0 ? {} : { after: sheet.rowIds().at(-1)! })
    await drained()
  }
  await sleep(1500)
  if (!provider.wsconnected) throw new Error('node client lost its connection while seeding')
  return {
    doc,
    wb,
    sheetId,
    colIds,
    rowIds: sheet.rowIds(),
    drained,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}
