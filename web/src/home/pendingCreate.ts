import type { Workbook } from '@taizhang/shared'
import { updateWorkbookEntry } from '../app/registry'

/** A workbook the home page asked to create; consumed once by the workbook view. */
export interface CreateRequest {
  title: string
  /** Made from the demo data (kept in the home page's entry). */
  demo?: boolean
  fill?: (wb: Workbook) => void
}

const requests = new Map<string, CreateRequest>()

export function setPendingCreate(id: string, req: CreateRequest): void {
  requests.set(id, req)
}

/**
 * Takes the request for `id` (the workbook view is about to create the doc) and only now adds the
 * home page's entry: a request abandoned before that (the page closed at the name prompt) leaves
 * nothing on the device.
 */
export function takePendingCreate(id: string): CreateRequest | undefined {
  const r = requests.get(id)
  requests.delete(id)
  if (r) {
    const now = Date.now()
    void updateWorkbookEntry(id, {
      title: r.title,
      createdAt: now,
      lastOpened: now,
      ...(r.demo ? { demo: true } : {}),
    }).catch(() => {})
  }
  return r
}
