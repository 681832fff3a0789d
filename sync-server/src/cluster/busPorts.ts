import type { EntryType } from './streams.js'

/** What the bus needs of this server's rooms (`Room` implements it). */
export interface BusRoom {
  readonly name: string
  readonly isLive: boolean
  stateVector(): Uint8Array
  /** What a peer with state vector `sv` lacks (the room's sync step 2). */
  syncStep2(sv: Uint8Array): Uint8Array | Promise<Uint8Array>
  receiveRemote(msg: BusMessage): unknown
}

/** Where delivered messages go: the loaded rooms of this server. */
export interface BusTarget {
  peek(name: string): BusRoom | undefined
  /** Everything durable of a room (the fallback when the stream cannot fill a gap). */
  loadStored(name: string): Promise<Uint8Array[]>
}

export type BusMessage =
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }

export interface BusMetrics {
  /** Seconds between an entry's id (Redis's clock at XADD) and its delivery here. */
  lag(seconds: number): void
  published(type: EntryType): void
  publishFailed(): void
  /** A gap the stream could not fill: the room was reloaded from the store. */
  reloaded(): void
  /** Length of a watched room's stream, sampled at each gap check. */
  streamLength(room: string, length: number): void
}
