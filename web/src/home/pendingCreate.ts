import type { Workbook } from '@taizhang/shared'

/** A workbook the home page asked to create; consumed once by the workbook view. */
export interface CreateRequest {
  title: string
  fill?: (wb: Workbook) => void
}

const requests = new Map<string, CreateRequest>()

export function setPendingCreate(id: string, req: CreateRequest): void {
  requests.set(id, req)
}

export function takePendingCreate(id: string): CreateRequest | undefined {
  const r = requests.get(id)
  requests.delete(id)
  return r
}
