/**
 * Set-ups of the access browser tests (accessOffline, accessUndo): tokens minted with the server's
 * CLI (any role and scope, including ones `POST /api/share` does not mint), the bureau's headless
 * real y-websocket client that builds the workbook (the two-station ledger both use), and a bounded
 * wait for a Node-side condition; `openAccessPages` puts them together with the clerk's page and a
 * second page.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { buildLedger } from '../../shared/src/access/testLedger.js'
import { ACK_PARAMS, installAckHandler, SYNC_PATH } from '../../shared/src/index.js'
import { WebsocketProvider, WS, Y } from '../../test/chaos/deps.js'
import { type Browser, cellSel, openBrowser, REPO, type Server, startServer } from './harness'
import { type Identity, openWorkbookAs, waitBadge } from './twoPages'

/** The station both access tests' clerk is scoped to. */
export const STATION = '朝歌街道社工站'

/** A token for every workbook on `server`, minted by `taizhang token` (args: --role, --name…). */
export function mintCli(server: Server, args: string[]): string {
  const out = execFileSync(
    process.execPath,
    ['bin/taizhang.mjs', 'token', '--workbook', '*', '--data', server.dataDir, '--json', ...args],
    { cwd: join(REPO, 'sync-server'), encoding: 'utf8' },
  )
  return (JSON.parse(out) as { token: string }).token
}

/** The clerk 朝歌站's token: a scoped editor of station STATION. */
export function mintClerk(server: Server): string {
  return mintCli(server, [
    '--role',
    'scoped-editor',
    '--scope-station',
    STATION,
    '--name',
    '朝歌站',
  ])
}

/** Polls `cond` every 50 ms; throws naming `what` after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * The bureau's headless client: a real y-websocket provider with the owner token, synced;
 * `acked` waits until the server has acknowledged everything this client wrote.
 */
export async function ownerClient(server: Server, workbookId: string, token: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(
    server.origin.replace(/^http/, 'ws') + SYNC_PATH,
    workbookId,
    doc,
    { params: { ...ACK_PARAMS, token }, WebSocketPolyfill: WS as never, disableBc: true },
  )
  let durable = new Map<number, number>()
  installAckHandler(provider as never, (sv) => {
    durable = sv
  })
  await until(() => provider.synced, 20_000, 'owner client sync')
  const acked = () =>
    until(
      () => (durable.get(doc.clientID) ?? 0) >= Y.getState(doc.store, doc.clientID),
      20_000,
      'owner edits acknowledged',
    )
  return { doc, provider, acked }
}

/** Opens `workbookId` with `token`, shows sheet 指标 and waits for its cell (row 1, `colId`). */
async function openSheet(
  br: Browser,
  server: Server,
  workbookId: string,
  token: string,
  colId: string,
): Promise<void> {
  await openWorkbookAs(br, server, workbookId, token, { timeout: 60_000 })
  await br.page.getByTestId('sheet-tabs').getByText('指标', { exact: true }).click()
  await br.page.locator(cellSel(1, colId)).waitFor({ timeout: 30_000 })
}

/**
 * The bureau's 月报 in `doc`: stations 朝歌 (STATION) and 桥盟, 指标 rows 朝歌 June 40, 朝歌 July 3,
 * 桥盟 July 5, completeness over 2024-06…2024-07.
 */
export function stationLedger(doc: Y.Doc) {
  return buildLedger({
    doc: doc as never,
    title: '月报',
    author: { id: 'o', name: '民政局' },
    stations: [{ name: STATION }, { name: '桥盟街道社工站' }],
    rows: [
      [0, '2024-06', 40],
      [0, '2024-07', 3],
      [1, '2024-07', 5],
    ],
  })
}

/** What `openAccessPages` started; `close` stops it all (each step even when one before failed). */
export interface AccessPages {
  server: Server
  owner: Awaited<ReturnType<typeof ownerClient>>
  ledger: ReturnType<typeof stationLedger>
  ownerToken: string
  /** The clerk 朝歌站 (scoped editor of STATION), synced. */
  clerk: Browser
  /** The second page, opened with `other.token`. */
  other: Browser
  close(): Promise<void>
}

/**
 * The real server; the bureau's headless client (owner token, 民政局) builds `stationLedger` in
 * `workbookId` and waits for the server's acknowledgement; then the clerk's page (profile
 * `clerkProfile`) and the second page (`other`, whose token `other.token` mints) open sheet 指标.
 */
export async function openAccessPages(
  workbookId: string,
  clerkProfile: string,
  other: {
    profile: string
    identity: Identity
    token: (server: Server, ownerToken: string) => string
  },
): Promise<AccessPages> {
  const started: Partial<AccessPages> = {}
  const close = async () => {
    started.owner?.provider.destroy()
    await started.clerk?.close()
    await started.other?.close()
    await started.server?.stop()
  }
  try {
    const server = await startServer()
    started.server = server
    const ownerToken = mintCli(server, ['--role', 'owner', '--name', '民政局'])
    const otherToken = other.token(server, ownerToken)
    const clerkToken = mintClerk(server)
    const owner = await ownerClient(server, workbookId, ownerToken)
    started.owner = owner
    const ledger = stationLedger(owner.doc)
    await owner.acked()
    const clerk = await openBrowser(clerkProfile, { name: '朝歌站', color: '#2563eb' })
    started.clerk = clerk
    const otherPage = await openBrowser(other.profile, other.identity)
    started.other = otherPage
    await openSheet(clerk, server, workbookId, clerkToken, ledger.cols.served)
    await openSheet(otherPage, server, workbookId, otherToken, ledger.cols.served)
    await waitBadge(clerk, 'synced', 60_000)
    return { server, owner, ledger, ownerToken, clerk, other: otherPage, close }
  } catch (err) {
    await close()
    throw err
  }
}
