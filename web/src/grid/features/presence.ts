import { cellKey, parseCellKey } from '../cellKey'
import type { PeerMark } from '../gridContext'
import type { FeatureContext, GridFeature } from './GridFeature'

/** A collaborator's focused cell on this sheet. */
export interface PeerCell {
  clientId: number
  name: string
  color: string
  rowId: string
  colId: string
}

export interface PresenceFeature extends GridFeature {
  setPeers(peers: readonly PeerCell[]): void
}

/** Outlines the cells other people are on (the renderer draws `cells.peers`). */
export function makePresence(): PresenceFeature {
  let ctx: FeatureContext | null = null
  return {
    name: 'presence',
    install(_api, c) {
      ctx = c
      c.host.add(() => {
        ctx = null
      })
      return undefined
    },
    setPeers(peers) {
      if (!ctx) return
      const next = new Map<string, PeerMark[]>()
      for (const p of peers) {
        const k = cellKey(p.rowId, p.colId)
        const list = next.get(k) ?? []
        list.push({ clientId: p.clientId, name: p.name, color: p.color })
        next.set(k, list)
      }
      const changed: [string, string][] = []
      const old = ctx.cells.peers
      for (const k of new Set([...old.keys(), ...next.keys()])) {
        if (JSON.stringify(old.get(k)) !== JSON.stringify(next.get(k))) {
          const cell = parseCellKey(k)
          if (cell) changed.push([cell.rowId, cell.colId])
        }
      }
      ctx.cells.peers = next
      ctx.refreshCells(changed)
    },
  }
}
