/**
 * Attestation bench (issue 13 §4, now on by default): what the server's check and record add to
 * accepting an update, against applying the same update alone (the reference, same run, same doc
 * sizes). In process (no sockets): `Attester.check` (decodes the update once more) + `Y.applyUpdate`
 * + `Attester.record` versus `Y.applyUpdate` alone.
 *
 *   npx tsx bench/attest/attest.bench.ts [--rows 100000] [--edits 2000] [--runs 5]
 *
 * Measures: (1) `edits` single-cell live edits from one client into a server doc holding a
 * `rows`-row sheet, per edit; (2) one `rows`-row import arriving as one update (a client's first
 * handshake after an offline import), check + record versus the apply alone.
 */
import { parseArgs } from 'node:util'
import { Attester } from '../../sync-server/src/attest/Attester.js'
import { COLUMNS, generateRows } from '../layout/data.js'
import { Y } from '../layout/deps.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    edits: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '5' },
  },
})
const ROWS = Number(args.rows)
const EDITS = Number(args.edits)
const RUNS = Number(args.runs)

const m = await import('../../shared/src/index.js')

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
const who = { user: 'u-bench', name: '张晓梅' }
const own = new Set<number>([1])

/** The client's doc with a `ROWS`-row sheet imported in one transaction, and its update. */
function clientWithImport() {
  const doc = new Y.Doc()
  doc.clientID = 1
  let t = Date.UTC(2024, 5, 1)
  const wb = m.Workbook.create(doc, {
    title: '台账',
    random: m.seededRandom(7),
    author: { id: 'u-bench', name: '张晓梅' },
    now: () => (t += 1000),
  })
  const s = wb.sheet(wb.addSheet('站点'))
  const cols = COLUMNS.map((c) => s.addColumn({ name: c.name, type: c.type }))
  wb.transact(() => s.insertRowValues(cols, generateRows(ROWS)), m.CSV_IMPORT)
  return { doc, wb, s, cols }
}

/** `EDITS` single-cell edits of the client, one update each (as y-websocket sends them). */
function editUpdates(c: ReturnType<typeof clientWithImport>): Uint8Array[] {
  const ids = c.s.rowIds()
  const rand = m.seededRandom(11)
  const out: Uint8Array[] = []
  const onUpdate = (u: Uint8Array) => out.push(u)
  c.doc.on('update', onUpdate)
  for (let i = 0; i < EDITS; i++) {
    const row = ids[Math.floor(rand() * ids.length)]!
    c.s.setCell(row, c.cols[5]!, Math.floor(rand() * 1000))
  }
  c.doc.off('update', onUpdate)
  return out
}

function serverDoc(state: Uint8Array): InstanceType<typeof Y.Doc> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

const client = clientWithImport()
const importUpdate = Y.encodeStateAsUpdate(client.doc)
const edits = editUpdates(client)
let clock = Date.UTC(2024, 6, 1)

const r = {
  editRef: [] as number[],
  editAttest: [] as number[],
  importRef: [] as number[],
  importAttest: [] as number[],
  importCheck: [] as number[],
  stateRef: 0,
  stateAttest: 0,
}
for (let run = 0; run < RUNS; run++) {
  // (2) the import as one handshake update into an empty server doc.
  {
    const ref = new Y.Doc()
    let t = performance.now()
    Y.applyUpdate(ref, importUpdate)
    r.importRef.push(performance.now() - t)
    const doc = new Y.Doc()
    const att = new Attester('bench-secret', () => (clock += 1500))
    t = performance.now()
    const v = att.check('wb', doc, importUpdate, who, 'handshake', own)
    r.importCheck.push(performance.now() - t)
    if (!v.ok) throw new Error(`import refused: ${v.reason}`)
    Y.applyUpdate(doc, importUpdate)
    att.record('wb', doc, v, who)
    r.importAttest.push(performance.now() - t)
  }
  // (1) live single-cell edits into a server doc holding the sheet.
  {
    const ref = serverDoc(importUpdate)
    let t = performance.now()
    for (const u of edits) Y.applyUpdate(ref, u)
    r.editRef.push((performance.now() - t) / edits.length)
    const doc = serverDoc(importUpdate)
    const att = new Attester('bench-secret', () => (clock += 1500))
    t = performance.now()
    for (const u of edits) {
      const v = att.check('wb', doc, u, who, 'live', own)
      if (!v.ok) throw new Error(`edit refused: ${v.reason}`)
      Y.applyUpdate(doc, u)
      att.record('wb', doc, v, who)
    }
    r.editAttest.push((performance.now() - t) / edits.length)
    r.stateRef = Y.encodeStateAsUpdate(ref).length
    r.stateAttest = Y.encodeStateAsUpdate(doc).length
  }
}

const f = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(3))
const line = (label: string, ours: number[], ref: number[]) =>
  `| ${label} | ${f(median(ours))} ms | ${f(median(ref))} ms | ${(median(ours) / median(ref)).toFixed(2)}× |`
console.log(
  `attest bench: ${ROWS} rows, ${edits.length} edits, ${RUNS} runs; import update ${(importUpdate.length / 2 ** 20).toFixed(2)} MiB`,
)
console.log('| Step | with attestation | apply alone (reference) | ratio |')
console.log('| --- | ---: | ---: | ---: |')
console.log(line('one live single-cell edit (check + apply + record)', r.editAttest, r.editRef))
console.log(
  line(`${ROWS}-row import as one update (check + apply + record)`, r.importAttest, r.importRef),
)
console.log(`|   of which the check alone | ${f(median(r.importCheck))} ms | | |`)
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`
console.log(
  `| state after the ${edits.length} edits (a receipt per edit: edits ≥ 1 s apart, the worst case) | ${kb(r.stateAttest)} | ${kb(r.stateRef)} | +${kb(r.stateAttest - r.stateRef)} (${((r.stateAttest - r.stateRef) / edits.length).toFixed(1)} B per edit) |`,
)
