/// <reference lib="webworker" />
/** The CSV import worker: decode, parse and plan off the main thread (see workerCore.ts). */
import type { FromWorker, ToWorker } from './protocol'
import { createCsvWorkerCore } from './workerCore'

declare const self: DedicatedWorkerGlobalScope

const handle = createCsvWorkerCore((msg: FromWorker, transfer?: Transferable[]) =>
  self.postMessage(msg, transfer ?? []),
)

self.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err: unknown) => self.postMessage({ type: 'error', message: String(err) }))
}
