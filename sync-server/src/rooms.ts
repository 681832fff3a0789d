/**
 * The rooms of a server (docs/SYNC.md): the registry and what it holds. The code lives in room/,
 * split by state and job:
 * - `Room.ts`: one loaded workbook; the only writer of its fields, and the cluster seam
 *   (`RoomRelay`, `Room.receiveRemote`)
 * - `DocState.ts`: cold or live, a discriminated union
 * - `DurableWriter.ts`: group commit, append with retry, compaction (behind `DocStore`)
 * - `Presence.ts`: awareness and who owns which client id
 * - `StoredReads.ts`: a cold room's answers from storage; `Inbox.ts`: editors' updates in order
 *   while a cold room checks them or revives
 * - `Rooms.ts`: the registry (loads, unload timers, flush at shutdown); `LiveDocs.ts`: the cap
 * - `yjsUpdates.ts`: pure Yjs helpers; `clock.ts`: time, injectable
 */
export type { Clock, Timer } from './room/clock.js'
export { systemClock } from './room/clock.js'
export type { Accepted } from './room/Inbox.js'
export { LiveDocs } from './room/LiveDocs.js'
export type { RoomDeps, RoomOutbound, RoomRelay } from './room/Room.js'
export { Room } from './room/Room.js'
export { Rooms } from './room/Rooms.js'
export { awarenessMessage, mergeMany } from './room/yjsUpdates.js'
