/**
 * Who else is here (awareness): this client's published state and the other clients read from
 * theirs. Split out of openWorkbook.ts, which owns the provider.
 */
import type { WebsocketProvider } from 'y-websocket'
import type { Identity } from '../app/identity'

/** The awareness state each client publishes. */
export interface PresenceState {
  user: { id: string; name: string; color: string }
  /** The focused cell, if any. */
  cursor?: { sheet: string; row: string; col: string } | null
}

/** Another client on the same workbook, from awareness. */
export interface Peer {
  clientId: number
  name: string
  color: string
  cursor: { sheet: string; row: string; col: string } | null
}

/** Publishes `identity` with no cursor and reports the other clients on every awareness change. */
export function watchPresence(
  p: WebsocketProvider,
  identity: Identity,
  onPeers: (peers: Peer[]) => void,
): void {
  p.awareness.setLocalStateField('user', {
    id: identity.id,
    name: identity.name,
    color: identity.color,
  })
  p.awareness.setLocalStateField('cursor', null)
  p.awareness.on('change', () => {
    const out: Peer[] = []
    for (const [clientId, state] of p.awareness.getStates()) {
      if (clientId === p.doc.clientID) continue
      const user = (state as Partial<PresenceState>).user
      if (!user || typeof user.name !== 'string') continue
      const c = (state as Partial<PresenceState>).cursor
      out.push({
        clientId,
        name: user.name.slice(0, 40),
        color:
          typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color)
            ? user.color
            : '#6b7280',
        cursor:
          c && typeof c.sheet === 'string' && typeof c.row === 'string' && typeof c.col === 'string'
            ? { sheet: c.sheet, row: c.row, col: c.col }
            : null,
      })
    }
    onPeers(out)
  })
}
