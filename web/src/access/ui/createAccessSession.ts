import type { Workbook } from '@taizhang/shared'
import { type Accessor, createSignal, onCleanup } from 'solid-js'
import { readTokenClaims } from '../../doc/token'
import { type AccessGate, identityFromClaims, makeAccessGate, setAccessGate } from './accessGate'

/** The open workbook's access state for the view: the gate, and reactive answers read from it. */
export interface AccessSession {
  readonly gate: AccessGate
  readonly workbook: Workbook
  /** Bumped when rules, locks or settings change (and after every transaction, for `live`). */
  version: Accessor<number>
  /** Reads `fn` again whenever the doc changes (rows decide scoped writability too). */
  live<T>(fn: () => T): T
  canStructure(sheetId?: string): boolean
  canEditRules(): boolean
  canLock(sheetId: string): boolean
  rulesOpen: Accessor<boolean>
  setRulesOpen(open: boolean): void
}

const sessions = new WeakMap<Workbook, AccessSession>()

/** The access session of an open workbook (toolbar extensions and report views find it here). */
export function accessSessionOf(wb: Workbook): AccessSession | undefined {
  return sessions.get(wb)
}

/**
 * Needs a Solid owner: makes the workbook's gate for the identity `token` names (no token: this
 * device's own workbook, its owner), registers it for the grid, and disposes it with the view.
 */
export function createAccessSession(
  wb: Workbook,
  token: string | null,
  fallbackName: string,
): AccessSession {
  const identity = identityFromClaims(token ? readTokenClaims(token) : null, fallbackName)
  const gate = makeAccessGate(wb, identity)
  const [version, setVersion] = createSignal(0)
  const [dataVersion, setDataVersion] = createSignal(0)
  const [rulesOpen, setRulesOpen] = createSignal(false)
  const off = gate.onChange((accessChanged) => {
    if (accessChanged) setVersion((v) => v + 1)
    setDataVersion((v) => v + 1)
  })
  const unregister = setAccessGate(wb, gate)
  const s: AccessSession = {
    gate,
    workbook: wb,
    version,
    live(fn) {
      dataVersion()
      return fn()
    },
    canStructure(sheetId) {
      version()
      return gate.canStructure(sheetId)
    },
    canEditRules() {
      version()
      return gate.canEditRules()
    },
    canLock(sheetId) {
      version()
      return gate.canLock(sheetId)
    },
    rulesOpen,
    setRulesOpen,
  }
  sessions.set(wb, s)
  onCleanup(() => {
    off()
    unregister()
    if (sessions.get(wb) === s) sessions.delete(wb)
    gate.dispose()
  })
  return s
}
