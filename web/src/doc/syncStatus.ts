import { pendingFromStateVectors } from '@taizhang/shared'

/** What the status badge shows: 离线 / 连接中 / 同步中 / 已同步 (+ unauthorised). */
export type ConnectionState = 'offline' | 'connecting' | 'syncing' | 'synced' | 'unauthorized'

export interface StatusInputs {
  /** The browser says it has a network. */
  online: boolean
  /** y-websocket's status. */
  socket: 'connecting' | 'connected' | 'disconnected'
  /** The server's sync step 2 arrived on this connection. */
  synced: boolean
  /** The server closed with a permanent auth code. */
  unauthorized: boolean
  /** Local changes not durable on the server, or null when no acknowledgement is known yet. */
  pending: number | null
  /** An acknowledgement arrived on the current connection. */
  ackedThisConnection: boolean
}

/**
 * The badge state, a pure function of its inputs. "Synced" requires the server to have
 * acknowledged every local change as durable, not just to have received it.
 */
export function computeConnectionState(s: StatusInputs): ConnectionState {
  if (s.unauthorized) return 'unauthorized'
  if (!s.online || s.socket === 'disconnected') return 'offline'
  if (s.socket === 'connecting') return 'connecting'
  if (!s.synced || !s.ackedThisConnection || s.pending === null || s.pending > 0) return 'syncing'
  return 'synced'
}

/** Local changes not yet durable: state-vector arithmetic over this device's client ids. */
export function countPending(
  local: ReadonlyMap<number, number>,
  durable: ReadonlyMap<number, number> | null,
  ownClientIds: Iterable<number>,
): number | null {
  if (!durable) {
    // Never acknowledged: everything this device wrote counts as pending.
    return pendingFromStateVectors(local, new Map(), ownClientIds)
  }
  return pendingFromStateVectors(local, durable, ownClientIds)
}

/** Encodes a state vector for localStorage. */
export function stateVectorToJson(sv: ReadonlyMap<number, number>): [number, number][] {
  return [...sv]
}

export function stateVectorFromJson(x: unknown): Map<number, number> | null {
  if (!Array.isArray(x)) return null
  const m = new Map<number, number>()
  for (const e of x) {
    if (Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'number') m.set(e[0], e[1])
  }
  return m
}
