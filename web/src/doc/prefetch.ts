/**
 * Starts reading a workbook's stored records at boot (web/src/main.tsx), before the rest of the
 * app is even loaded, so the IndexedDB read overlaps loading and evaluating the app's code.
 * The records are read in a Worker (`readWorker.ts`), so the main thread is free meanwhile; the
 * main thread's own connection reads the first-screen cache (`firstScreen.ts`) as soon as it is
 * open. `openWorkbook` takes the records; a read nobody takes is closed after a while.
 */
import { type FirstScreen, readFirstScreen } from './firstScreen'
import { READ_WORKER_PREFIX, readStoredRecordsOffThread, type StoredRecords } from './idb'
import ReadWorker from './readWorker?worker&inline'

/** A prefetched read nobody took by then (the user went elsewhere) lets its database go. */
const UNCLAIMED_MS = 30_000
/**
 * Longest wait, before applying the doc, for a valid first screen to be painted (the view says
 * when it is, or that it will not show it; this only bounds a view that never answers).
 */
const SCREEN_WAIT_MS = 1000

const prefetched = new Map<string, Promise<StoredRecords>>()
/** Per workbook, the last read started here: resolves once its requests are issued. */
const issued = new Map<string, Promise<void>>()
/** Per workbook, the first-screen cache read with the records: the record if it is exact. */
const screens = new Map<string, Promise<FirstScreen | null>>()
/** Per workbook, resolved once a valid first screen is painted or will not be shown. */
const screenSettled = new Map<string, { done: Promise<void>; settle: () => void }>()

function settledEntry(workbookId: string) {
  let entry = screenSettled.get(workbookId)
  if (!entry) {
    let settle = () => {}
    const done = new Promise<void>((r) => (settle = r))
    entry = { done, settle }
    screenSettled.set(workbookId, entry)
  }
  return entry
}

export function prefetchDoc(workbookId: string): void {
  if (typeof indexedDB === 'undefined' || prefetched.has(workbookId)) return
  let markIssued = () => {}
  issued.set(workbookId, new Promise<void>((r) => (markIssued = r)))
  screenSettled.delete(workbookId)
  let gotScreen: (s: FirstScreen | null) => void = () => {}
  const screen = new Promise<FirstScreen | null>((r) => (gotScreen = r))
  screens.set(workbookId, screen)
  let screenReading = false
  const onOpened = (db: IDBDatabase) => {
    screenReading = true
    void readFirstScreen(db).then((s) => {
      performance.mark('tz:screenread')
      gotScreen(s)
    })
  }
  // In a Worker. Reading on the main thread instead was measured against it (web bench, 6
  // interleaved opens, loaded 2-core machine): grid live 659 vs 687 ms median, 2.04× vs 2.00×
  // the floor (median of paired ratios), read 233 vs 304 ms from the entry: no clear winner, so
  // the Worker stayed and the A/B switch was removed.
  const read = readStoredRecordsOffThread(
    workbookId,
    (id) => new ReadWorker({ name: READ_WORKER_PREFIX + id }),
    () => markIssued(),
    onOpened,
  )
  // No main-thread connection (a failed open): no first screen. (The records may well arrive
  // before the first-screen read does; that one still settles the screen.)
  void read.then(() => {
    if (!screenReading) gotScreen(null)
  })
  prefetched.set(workbookId, read)
  setTimeout(() => {
    if (prefetched.get(workbookId) !== read) return
    prefetched.delete(workbookId)
    screens.delete(workbookId)
    void read.then((r) => {
      if (r.ok) r.db.close()
    })
  }, UNCLAIMED_MS)
}

/**
 * The prefetched read of this workbook, if one was started and not yet taken. When a valid first
 * screen exists, the records are handed over only once it is painted (or the view declined it):
 * applying them is one long task, and the cached rows must reach the screen before it.
 */
export function takePrefetchedDoc(workbookId: string): Promise<StoredRecords> | undefined {
  const read = prefetched.get(workbookId)
  prefetched.delete(workbookId)
  if (!read) return undefined
  const screen = screens.get(workbookId)
  if (!screen) return read
  const settled = settledEntry(workbookId).done
  return read.then(async (records) => {
    if (await screen) {
      await Promise.race([settled, new Promise<void>((r) => setTimeout(r, SCREEN_WAIT_MS))])
    }
    return records
  })
}

/**
 * The first-screen record read with this workbook's last prefetched records: resolves to the
 * record if it matches the stored updates exactly, else null; undefined if no read was started.
 */
export function firstScreenOf(workbookId: string): Promise<FirstScreen | null> | undefined {
  return screens.get(workbookId)
}

/** The view painted the first screen, or will not show it: the doc may be applied now. */
export function firstScreenSettled(workbookId: string): void {
  settledEntry(workbookId).settle()
}

/**
 * Resolves when the last read started by `prefetchDoc` for this workbook has issued its requests
 * (the main thread is then free until the records arrive); undefined if none was started.
 */
export function whenReadIssued(workbookId: string): Promise<void> | undefined {
  return issued.get(workbookId)
}
