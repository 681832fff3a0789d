/**
 * Access rules at the door (issue 16 §2): before a client's update is applied, work out what it
 * changes (`classifyUpdate`, against the room's doc) and ask the same pure `checkChange` the web
 * app asks. One refused change refuses the whole update: the room then applies, stores and
 * broadcasts nothing, and the sender gets a `refused` message (docs/SYNC.md "Access refusals").
 */
import {
  type AccessChecker,
  type AccessIdentity,
  accessMap,
  type ClassifiedChange,
  classifyUpdate,
  createAccessChecker,
  MESSAGE_TYPE,
  META_SCHEMA_VERSION,
  type ParsedUpdate,
  parsedUpdate,
  type RefusalReason,
  ROOT_ACCESS,
  ROOT_META,
  Roles,
  SCHEMA_VERSION,
  Workbook,
} from '@taizhang/shared'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** One refused change, as the `refused` message lists it. */
export interface RefusedChange {
  change: ClassifiedChange
  reason: RefusalReason | 'unresolved'
  message: { zh: string; en: string }
  lock?: { period: string; by: string; at: number; auto: boolean }
}

export type PolicyVerdict = { ok: true } | { ok: false; refused: RefusedChange[] }

const UNRESOLVED_MESSAGE = {
  zh: '这次修改依赖服务器未接受的修改，请重新同步',
  en: 'this update builds on changes the server did not accept; resynchronise',
}
/** At most this many refused changes are listed in one message (the count is always exact). */
export const REFUSED_LIST_MAX = 200

/**
 * What the room asks of the policy; `null` deps in tests mean "rules off". The room passes its
 * `ParsedUpdate` (decoded once for the room, this check and the attester); bytes are decoded here.
 */
export interface AccessPolicy {
  check(doc: Y.Doc, update: Uint8Array | ParsedUpdate, who: AccessIdentity): PolicyVerdict
  /**
   * Builds, for a connection that has joined the room of live `doc`, what its first `check` would
   * build (the workbook view, its sheets' plans and row indexes): the 0.3–0.5 ms of a room's first
   * check leaves the write path. Nothing for those the fast path lets through unclassified.
   */
  warm(doc: Y.Doc, who: AccessIdentity): void
}

export function createAccessPolicy(now: () => number): AccessPolicy {
  // One workbook view and checker per live doc; they go with the doc when the room unloads.
  const checkers = new WeakMap<Y.Doc, { wb: Workbook; checker: AccessChecker }>()
  const current = (doc: Y.Doc) => {
    let c = checkers.get(doc)
    if (c) return c
    // Opening a doc below the current schema would migrate it here, writing structs nobody
    // else sees: read such a doc through a copy instead (until a client migrates it).
    const version = doc.getMap(ROOT_META).get(META_SCHEMA_VERSION)
    const target = typeof version === 'number' && version >= SCHEMA_VERSION ? doc : copyOf(doc)
    const wb = Workbook.open(target).workbook
    c = { wb, checker: createAccessChecker(wb) }
    if (target === doc) checkers.set(doc, c)
    return c
  }
  return {
    warm(doc, who) {
      if (who.role === Roles.viewer) return
      if (isOpen(who) && doc.getMap(ROOT_ACCESS).size === 0) return
      current(doc).checker.warm(who)
    },
    check(doc, bytesOrParsed, who) {
      const update = parsedUpdate(bytesOrParsed)
      // A workbook nobody has set access up for (no rule, lock or exception): owners and editors
      // write as before issue 16, so their updates are not classified at all — ordinary
      // workbooks pay one struct decode, not a workbook view per doc and a walk per change
      // (measured: classifying every update cut confirmed writes to 0.24-0.33x). Only the first
      // rule or lock itself must still be an owner's: an editor's update that puts anything
      // into the (empty) access root goes through the full check below.
      if (isOpen(who) && doc.getMap(ROOT_ACCESS).size === 0) {
        if (who.role === Roles.owner || !touchesRoot(doc, update, ROOT_ACCESS)) return OK
      }
      // Owners may change anything but a locked period; everyone else is checked change by change.
      const { wb, checker } = current(doc)
      const refused: RefusedChange[] = []
      const t = now()
      for (const change of classifyUpdate(wb, update)) {
        if (change.kind === 'unresolved') {
          // Parked as pending as before issue 16 when nothing it could hold is refused: for owners,
          // and for editors of a workbook nobody has set access up for. Otherwise it may hide a
          // refused change (it builds on structs the server never took), so it is refused.
          const legacy = who.role === Roles.editor && accessMap(wb).size === 0
          if (who.role !== Roles.owner && !legacy)
            refused.push({ change, reason: 'unresolved', message: UNRESOLVED_MESSAGE })
          continue
        }
        const d = checker.check(who, change, t)
        if (!d.ok) {
          refused.push(
            d.lock
              ? { change, reason: d.reason, message: d.message, lock: d.lock }
              : { change, reason: d.reason, message: d.message },
          )
        }
      }
      return refused.length === 0 ? OK : { ok: false, refused }
    },
  }
}

const OK: PolicyVerdict = { ok: true }

const isOpen = (who: AccessIdentity) => who.role === Roles.owner || who.role === Roles.editor

/**
 * Whether any item of `update` goes into the root map `root` of `doc` (or a type nested in it). An
 * item names its parent in the encoding only when it has no origin; one written to a key the map
 * held before (even a deleted one) is placed by its origin alone, so that origin (or a nested
 * item's parent item) is looked up: in the doc (it must not lie under the root), or in the update
 * (that item is checked itself). One found in neither, or collected, answers true: the full check
 * decides (it parks or refuses it).
 */
function touchesRoot(doc: Y.Doc, update: ParsedUpdate, root: string): boolean {
  let structs: ReturnType<typeof Y.decodeUpdate>['structs']
  try {
    structs = update.decoded.structs
  } catch {
    // Undecodable: let the full check (and the room's own validation) decide.
    return true
  }
  const rootType = doc.share.get(root)
  const store = doc.store
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue
    // A decoded struct names a root type by its key (a string), which Item.parent's type omits.
    const parent = s.parent as unknown
    if (parent === root) return true
    if (typeof parent === 'string') continue // another root
    // Placed by its parent type's item (nested) or by its origin: where that item lives decides.
    const ref = parent instanceof Y.ID ? parent : (s.origin ?? s.rightOrigin)
    if (!ref) return true
    if (Y.getState(store, ref.client) > ref.clock) {
      const held = Y.getItem(store, ref) as Y.Item | Y.GC
      if (!(held instanceof Y.Item)) return true
      // Up to the root: the held item may sit in a type nested in the root.
      let type = held.parent as Y.AbstractType<unknown> | null
      while (type?._item) type = type._item.parent as Y.AbstractType<unknown> | null
      if (rootType !== undefined && type === rootType) return true
    } else if (!inUpdate(structs, ref)) return true
  }
  return false
}

/** Whether `id` falls in one of the update's own structs. */
function inUpdate(structs: ReturnType<typeof Y.decodeUpdate>['structs'], id: Y.ID): boolean {
  for (const s of structs)
    if (s.id.client === id.client && s.id.clock <= id.clock && id.clock < s.id.clock + s.length)
      return true
  return false
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: false })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/**
 * `varUint(101) · varString(JSON)`: `{ count, refused: RefusedChange[] (at most 200) }`, sent to
 * the author of a refused update only (docs/SYNC.md "Access refusals").
 */
export function refusedMessage(refused: readonly RefusedChange[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.refused)
  encoding.writeVarString(
    e,
    JSON.stringify({ count: refused.length, refused: refused.slice(0, REFUSED_LIST_MAX) }),
  )
  return encoding.toUint8Array(e)
}
