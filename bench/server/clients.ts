/**
 * Raw sync clients, the 100,000-row workbook builder and the fan-out measurement of the server
 * bench (server.bench.ts), shared with bench/versions/ so both measure fan-out the same way.
 * Moved here unchanged but for their parameters (token, rounds, GC), which the benches pass.
 */
import { createRequire } from 'node:module'
import { COLUMNS, generateRows } from '../layout/data.js'
import { type CellValue, Workbook, Y, type YDoc } from '../layout/deps.js'

const fromServer = createRequire(new URL('../../sync-server/package.json', import.meta.url))
const ws = fromServer('ws') as typeof import('ws')
type Socket = import('ws').WebSocket

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}
export const median = (xs: number[]) => pct(xs, 50)

export async function waitFor(
  cond: () => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timeout: ${what}`)
    await sleep(2)
  }
}

export function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  // varUint(0) varUint(step) varUint8Array(payload); lengths < 2^28 fit 4 varint bytes.
  const len: number[] = []
  let n = payload.length
  while (n > 127) {
    len.push((n & 127) | 128)
    n >>>= 7
  }
  len.push(n)
  const out = new Uint8Array(2 + len.length + payload.length)
  out.set([0, step, ...len])
  out.set(payload, 2 + len.length)
  return out
}

export interface Raw {
  ws: Socket
  onFrame: ((d: Uint8Array) => void) | null
}

/** A plain WebSocket on `<base>/<room>` (no Yjs client): frames go to `onFrame`. */
export async function openRawClient(
  base: string,
  room: string,
  token: string,
  ack = false,
): Promise<Raw> {
  const url = `${base}/${room}?token=${token}${ack ? '&ack=1' : ''}`
  const sock = new ws.WebSocket(url, { perMessageDeflate: false })
  const raw: Raw = { ws: sock, onFrame: null }
  sock.binaryType = 'nodebuffer'
  sock.on('message', (d: Buffer) => raw.onFrame?.(new Uint8Array(d.buffer, d.byteOffset, d.length)))
  await new Promise<void>((resolve, reject) => {
    sock.once('open', () => resolve())
    sock.once('error', reject)
  })
  return raw
}

export function readVarUint(d: Uint8Array, pos: number): [number, number] {
  let num = 0
  let mult = 1
  for (;;) {
    const r = d[pos++]!
    num += (r & 127) * mult
    mult *= 128
    if (r < 128) return [num, pos]
  }
}

/**
 * Builds a workbook with the shared model API, inserting rows in chunks of 10,000 (one transaction
 * each, as a chunked import would), and returns each transaction's update (every one stays under
 * the server's 8 MiB frame limit) plus the whole encoded state. With `keep`, the doc and its sheet
 * are returned open (the caller edits on and destroys it).
 */
export function buildWorkbook(rows: number): { chunks: Uint8Array[]; state: Uint8Array }
export function buildWorkbook(
  rows: number,
  keep: true,
): { chunks: Uint8Array[]; state: Uint8Array; doc: YDoc; wb: Workbook }
export function buildWorkbook(
  rows: number,
  keep = false,
): { chunks: Uint8Array[]; state: Uint8Array; doc?: YDoc; wb?: Workbook } {
  const doc: YDoc = new Y.Doc()
  const chunks: Uint8Array[] = []
  const onUpdate = (u: Uint8Array) => chunks.push(u)
  doc.on('update', onUpdate)
  const wb = Workbook.create(doc, { title: 'bench' })
  const sheet = wb.sheet(wb.addSheet('站点月报'))
  const colIds = COLUMNS.map((c) => sheet.addColumn({ name: c.name, type: c.type }))
  const records = generateRows(rows).map((values) => {
    const rec: Record<string, CellValue> = {}
    for (let c = 0; c < colIds.length; c++) rec[colIds[c]!] = values[c] ?? null
    return rec
  })
  for (let i = 0; i < records.length; i += 10_000) sheet.insertRows(records.slice(i, i + 10_000))
  const state = Y.encodeStateAsUpdate(doc)
  doc.off('update', onUpdate)
  if (!keep) doc.destroy()
  // The small schema/meta transactions go in one message.
  const head = chunks.findIndex((u) => u.length > 100_000)
  const merged = head > 0 ? [Y.mergeUpdates(chunks.slice(0, head)), ...chunks.slice(head)] : chunks
  return keep ? { chunks: merged, state, doc, wb } : { chunks: merged, state }
}

/**
 * Uploads the updates into `room` and, when `waitApplied` (not for the bare relay), waits until the
 * server has applied them.
 */
export async function seedRawRoom(
  base: string,
  room: string,
  updates: Uint8Array[],
  token: string,
  waitApplied = true,
): Promise<Raw> {
  const c = await openRawClient(base, room, token)
  if (!waitApplied) return c
  let done = false
  c.onFrame = (d) => {
    if (d[0] === 0 && d[1] === 1) done = true // sync step 2: our step 1 was answered after the updates
  }
  for (const u of updates) c.ws.send(syncMessage(2, u))
  c.ws.send(syncMessage(0, new Uint8Array([0])))
  await waitFor(() => done, `seed ${room}`)
  return c
}

/**
 * One writer at a time sends an update; time until every other client in the room received it.
 * `open` connects a client to a room; `gc` (a full GC of the bench process) runs once before.
 */
export async function measureFanout(
  open: (room: string) => Promise<Raw>,
  n: number,
  opts: { rounds: number; gc?: () => void; room?: string },
): Promise<{ p50: number; p99: number }> {
  const room = opts.room ?? `fan${n}`
  const clients: Raw[] = []
  for (let i = 0; i < n; i++) clients.push(await open(room))
  opts.gc?.()
  await sleep(300)
  const doc = new Y.Doc()
  const msgs: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => msgs.push(syncMessage(2, u)))
  for (let r = 0; r < opts.rounds + 10; r++) doc.getMap('cells').set(`c${r % 50}`, `value ${r}`)
  const all: number[] = []
  for (let r = 0; r < msgs.length; r++) {
    const sender = r % n
    const got = new Set<number>()
    let last = 0
    clients.forEach((c, i) => {
      c.onFrame = (d) => {
        if (i !== sender && d[0] === 0 && d[1] === 2 && !got.has(i)) {
          got.add(i)
          last = performance.now()
        }
      }
    })
    const t0 = performance.now()
    clients[sender]!.ws.send(msgs[r]!)
    await waitFor(() => got.size === n - 1, 'fan-out round')
    if (r >= 10) all.push(last - t0) // first 10 rounds warm up
    await sleep(2)
  }
  for (const c of clients) c.ws.close()
  return { p50: median(all), p99: pct(all, 99) }
}
