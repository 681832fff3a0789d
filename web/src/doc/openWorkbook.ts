/**
 * The only place that builds a workbook's Y.Doc, its local persistence and its WebSocket provider.
 * Grid and UI code receive a `WorkbookSession` and never see IndexedDB or sockets.
 *
 * Order matters: local data first (the app works with no network), then the socket.
 */
import {
  ACK_PARAMS,
  CLOSE,
  installAckHandler,
  isPermanentClose,
  SYNC_PATH,
  Workbook,
  type WorkbookChange,
} from '@taizhang/shared'
import { type Accessor, createSignal } from 'solid-js'
import * as authProtocol from 'y-protocols/auth'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
// access (issue 16 §3): message 101 stops the socket until recovery rebuilds the doc
import { makeRefusalChannel, type RefusalNotice } from '../access/recovery/refusalChannel'
import { afterFirstPaint } from '../app/afterPaint'
import type { Identity } from '../app/identity'
import type { FirstScreenBody } from './firstScreen'
import { IdbPersistence, type LoadResult, type LocalSaveStatus } from './IdbPersistence'
import { workbookStorageKey } from './idb'
import { makePendingChanges } from './pendingChanges'
import { takePrefetchedDoc } from './prefetch'
import { type Peer, type PresenceState, watchPresence } from './presence'
import { type ConnectionState, computeConnectionState } from './syncStatus'
import { readTokenClaims } from './token'
import { UnackedCells } from './UnackedCells'

export type { Peer, PresenceState, RefusalNotice }

export interface OpenWorkbookOptions {
  workbookId: string
  /**
   * Share or workspace token; without one the doc stays on this device unless the server allows
   * anonymous use. A promise (the registry lookup) is awaited only after the local data is in.
   */
  token?: string | null | Promise<string | null>
  /** http(s) origin of the sync server; default the page's origin. */
  serverOrigin?: string
  identity: Identity
  /** Build the workbook if the local doc is empty (a new workbook made on this device). */
  create?: { title: string; fill?: (wb: Workbook) => void }
  /** Connect to the server (default true). */
  connect?: boolean
  /** Compaction worker factory; default a module Worker. Pass `() => null` to compact inline. */
  makeWorker?: () => Worker | null
  /** localStorage namespace (tests pass null to keep nothing). */
  storage?: Storage | null
  /**
   * What the first screen shows, for the first-screen cache (`firstScreen.ts`); none is kept
   * without it.
   */
  firstScreen?: (workbook: Workbook) => FirstScreenBody | null
}

export type SessionWarning =
  | { kind: 'corrupt'; n: number }
  | { kind: 'idb-unavailable'; reason: string }
  | { kind: 'permission-denied' }
  | { kind: 'newer-schema'; zh: string; en: string }

export interface WorkbookSession {
  readonly id: string
  readonly doc: Y.Doc
  readonly workbook: Workbook
  readonly provider: WebsocketProvider | null
  readonly undo: Y.UndoManager
  readonly unacked: UnackedCells
  readonly loaded: LoadResult
  readOnly: Accessor<boolean>
  connection: Accessor<ConnectionState>
  /** Local changes not yet durable on the server (Yjs clock ticks from state vectors). */
  pending: Accessor<number | null>
  localSave: Accessor<LocalSaveStatus>
  warnings: Accessor<SessionWarning[]>
  /** Other clients here now (this client excluded). */
  peers: Accessor<Peer[]>
  /** Bumped when the title or sheet list changes. */
  metaVersion: Accessor<number>
  /**
   * access (issue 16 §3): the server refused an update of this device (message 101); the socket is
   * stopped until web/src/access/recovery rebuilds the doc from the server's state.
   */
  refusal: Accessor<RefusalNotice | null>
  setPresenceCursor(cursor: PresenceState['cursor']): void
  setIdentity(identity: Identity): void
  /** Resolves when local writes so far are committed to IndexedDB. */
  flushLocal(): Promise<void>
  destroy(): Promise<void>
}

const defaultWorker = (): Worker | null =>
  typeof Worker === 'undefined'
    ? null
    : new Worker(new URL('./compactWorker.ts', import.meta.url), { type: 'module' })

function wsOrigin(httpOrigin: string): string {
  return httpOrigin.replace(/^http/, 'ws')
}

/** How long an empty doc waits for the server before opening anyway (offline, slow network). */
export const FIRST_SYNC_TIMEOUT_MS = 8000

/**
 * Resolves at the provider's first sync, when the browser is or goes offline, when the server
 * closes the socket for good, or after FIRST_SYNC_TIMEOUT_MS, whichever comes first.
 */
function firstSync(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      provider.off('sync', onSync)
      provider.off('connection-close', onClose)
      if (typeof window !== 'undefined') window.removeEventListener('offline', done)
      resolve()
    }
    const onSync = (s: boolean) => {
      if (s) done()
    }
    const onClose = (e: CloseEvent | null) => {
      if (e && isPermanentClose(e.code)) done()
    }
    const timer = setTimeout(done, FIRST_SYNC_TIMEOUT_MS)
    provider.on('sync', onSync)
    provider.on('connection-close', onClose)
    if (typeof window !== 'undefined') window.addEventListener('offline', done)
    if (typeof navigator !== 'undefined' && navigator.onLine === false) done()
  })
}

export async function openWorkbook(opts: OpenWorkbookOptions): Promise<WorkbookSession> {
  const storage = opts.storage === undefined ? (globalThis.localStorage ?? null) : opts.storage
  const nsKey = (k: string) => workbookStorageKey(opts.workbookId, k)
  const doc = new Y.Doc()

  const [localSave, setLocalSave] = createSignal<LocalSaveStatus>({
    state: 'loading',
    corrupt: 0,
    quota: false,
  })
  const [warnings, setWarnings] = createSignal<SessionWarning[]>([])
  const warn = (w: SessionWarning) =>
    setWarnings((ws) => (ws.some((x) => x.kind === w.kind) ? ws : [...ws, w]))

  const persistence = new IdbPersistence(opts.workbookId, doc, {
    makeWorker: opts.makeWorker ?? defaultWorker,
    onStatus: setLocalSave,
    stored: takePrefetchedDoc(opts.workbookId),
  })
  const loaded = await persistence.whenLoaded
  const token = await opts.token
  if (loaded.corrupt > 0) warn({ kind: 'corrupt', n: loaded.corrupt })
  if (!loaded.available) {
    warn({ kind: 'idb-unavailable', reason: persistence.getStatus().error ?? '' })
  }

  // Pending counts (client ids, the durable vector, local transactions), kept across reloads.
  const pendingChanges = makePendingChanges(doc, storage, nsKey)
  const remember = pendingChanges.remember

  const isEmpty = doc.getMap('meta').size === 0 && doc.getMap('sheets').size === 0

  const claims = token ? readTokenClaims(token) : {}
  const [roleReadOnly, setRoleReadOnly] = createSignal(claims.role === 'viewer')
  const readOnly = () => schemaReadOnly || roleReadOnly()

  const unacked = new UnackedCells(storage ? UnackedCells.storageKey(opts.workbookId) : null)
  const pending = pendingChanges.pending

  const [metaVersion, setMetaVersion] = createSignal(0)

  // ---- network ---------------------------------------------------------------------------
  const [online, setOnline] = createSignal(
    typeof navigator === 'undefined' ? true : navigator.onLine,
  )
  const [socket, setSocket] = createSignal<'connecting' | 'connected' | 'disconnected'>(
    'disconnected',
  )
  const [synced, setSynced] = createSignal(false)
  const [unauthorized, setUnauthorized] = createSignal(false)
  const [acked, setAcked] = createSignal(false)
  const refusals = makeRefusalChannel()
  const refusal = refusals.refusal
  // Drop the socket when the browser goes offline (it can linger half-open for a long time) and
  // reconnect at once when the network is back, instead of waiting out y-websocket's backoff.
  const onOnline = () => {
    setOnline(true)
    if (provider && !provider.wsconnected && !unauthorized() && !refusal()) provider.connect()
  }
  const onOffline = () => {
    setOnline(false)
    provider?.disconnect()
  }
  // A reload or tab close must not lose the debounced marker save.
  const onPageHide = () => {
    unacked.save()
    pendingChanges.saveNow()
    void persistence.writeFirstScreenNow()
  }
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onPageHide)
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
  }

  let destroyed = false
  const [peers, setPeers] = createSignal<Peer[]>([])
  let provider: WebsocketProvider | null = null
  let uninstallAck = () => {}
  if (opts.connect !== false) {
    const origin = opts.serverOrigin ?? globalThis.location.origin
    const params: Record<string, string> = { ...ACK_PARAMS }
    if (token) params.token = token
    provider = new WebsocketProvider(wsOrigin(origin) + SYNC_PATH, opts.workbookId, doc, {
      params,
      // Connected below: at once for a doc that must come from the server, else after the first
      // frame with the local data is painted (the handshake's messages would delay that frame).
      connect: false,
      // Cross-tab BroadcastChannel would deliver unacknowledged changes between tabs; keep one path.
      disableBc: true,
    })
    const p = provider
    uninstallAck = installAckHandler(p, (sv) => {
      setAcked(true)
      unacked.acknowledge(sv)
      pendingChanges.setDurable(sv)
    })
    // y-websocket only logs a refused write; we also switch the UI to read-only.
    p.messageHandlers[2] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, doc, () => {
        setRoleReadOnly(true)
        warn({ kind: 'permission-denied' })
      })
    }
    // access (issue 16 §3): a refused update stops the socket until recovery rebuilds the doc.
    refusals.install(p)
    p.on('status', ({ status }) => {
      setSocket(status)
      if (status !== 'connected') {
        setSynced(false)
        setAcked(false)
      }
    })
    p.on('sync', (s: boolean) => setSynced(s))
    p.on('closed', ({ code }) => {
      if (
        isPermanentClose(code) &&
        (code === CLOSE.unauthorized.code || code === CLOSE.forbidden.code)
      ) {
        setUnauthorized(true)
      }
    })
    p.on('connection-error', () => {
      // A refused upgrade (401/403) surfaces only as an error; the server's /healthz tells more,
      // but the badge stays "connecting" while y-websocket backs off, which is honest.
    })
    watchPresence(p, opts.identity, setPeers)
  }

  // A doc that is empty here and not being created on this device exists on the server: wait for
  // the first sync before opening it. Opening runs the schema migration, which on an empty doc
  // writes an empty title and createdAt 0; written before the server's state arrived, those are
  // concurrent with the creator's values and win half the time (Y.Map last-writer by client id).
  const connectNow = () => {
    // Idempotent: `online` may have connected it first.
    if (provider && !destroyed && online() && !unauthorized() && !refusal()) provider.connect()
  }
  if (isEmpty && !opts.create && provider) {
    connectNow()
    await firstSync(provider)
  } else afterFirstPaint(connectNow)

  let workbook: Workbook
  let schemaReadOnly = false
  const author = { id: opts.identity.id, name: opts.identity.name }
  if (isEmpty && opts.create) {
    remember()
    workbook = Workbook.create(doc, { title: opts.create.title, author })
    opts.create.fill?.(workbook)
  } else {
    const res = Workbook.open(doc, { author })
    workbook = res.workbook
    if (res.readOnly) {
      schemaReadOnly = true
      warn({ kind: 'newer-schema', zh: res.reason?.zh ?? '', en: res.reason?.en ?? '' })
    }
    if (res.migrated.length) remember()
  }

  const firstScreen = opts.firstScreen
  if (firstScreen) persistence.setFirstScreenSource(() => firstScreen(workbook))
  performance.mark('tz:wbopen')
  const offChange = workbook.onChange((c: WorkbookChange) => {
    if (c.metaChanged || c.sheetsChanged) setMetaVersion((v) => v + 1)
    if (!c.local) return
    remember()
    const clock = Y.getState(doc.store, doc.clientID)
    const keys: string[] = []
    for (const [sheetId, sc] of c.sheets) {
      for (const [rowId, cols] of sc.cells) {
        for (const colId of cols) keys.push(UnackedCells.key(sheetId, rowId, colId))
      }
    }
    unacked.mark(keys, { client: doc.clientID, clock })
    pendingChanges.noteLocal(clock)
  })

  const undo = workbook.createUndoManager()

  const connection = () =>
    computeConnectionState({
      online: online(),
      socket: socket(),
      synced: synced(),
      unauthorized: unauthorized(),
      pending: pending(),
      ackedThisConnection: acked(),
    })

  performance.mark('tz:session')
  return {
    id: opts.workbookId,
    doc,
    workbook,
    provider,
    undo,
    unacked,
    loaded,
    readOnly,
    connection,
    pending,
    localSave,
    warnings,
    metaVersion,
    refusal,
    peers,
    setPresenceCursor(cursor) {
      provider?.awareness.setLocalStateField('cursor', cursor)
    },
    setIdentity(identity) {
      workbook.setAuthor({ id: identity.id, name: identity.name })
      provider?.awareness.setLocalStateField('user', {
        id: identity.id,
        name: identity.name,
        color: identity.color,
      })
    },
    flushLocal: () => persistence.flush(),
    async destroy() {
      if (destroyed) return
      destroyed = true
      offChange()
      uninstallAck()
      unacked.save()
      pendingChanges.saveNow()
      if (typeof window !== 'undefined') {
        window.removeEventListener('pagehide', onPageHide)
        window.removeEventListener('online', onOnline)
        window.removeEventListener('offline', onOffline)
      }
      undo.destroy()
      provider?.destroy()
      workbook.destroy()
      try {
        await persistence.destroy()
      } finally {
        doc.destroy()
      }
    },
  }
}
