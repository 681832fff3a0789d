/** Tunables of the sync server. Units are in the names; `ServerOptions` can override most. */
export const LIMITS = {
  /**
   * Largest accepted WebSocket frame; larger closes with 1009. y-websocket sends everything a
   * client made offline as ONE sync-step-2 frame and retries it forever if refused, so this must
   * exceed the largest workbook a client can build offline: a 100,000-row import is ~20 MB.
   */
  MAX_FRAME_BYTES: 64 * 1024 * 1024,
  /**
   * Bounded extra wait before a batch of updates is cut and written (group commit). 0 means no
   * wait: an update reaching an idle room starts its write at once, while its frame is handled.
   * Updates arriving while a write is in flight join the next batch, cut as soon as that write
   * finishes. So an update waits at most BATCH_WINDOW_MS plus one in-flight write before its own
   * fsync starts. Must stay ≤ 50.
   */
  BATCH_WINDOW_MS: 0,
  /** A batch is cut early once it holds this many bytes. */
  BATCH_MAX_BYTES: 4 * 1024 * 1024,
  /** Compact a room once this many records were appended since the last compaction. */
  COMPACT_AFTER_APPENDS: 500,
  /** First retry delay after a failed append; doubles up to RETRY_MAX_MS. */
  RETRY_MIN_MS: 50,
  RETRY_MAX_MS: 5_000,
  /**
   * Doc-less rooms: a room keeps only its merged update bytes (about a third of a Y.Doc's heap)
   * and revives a Y.Doc when a write must be validated. The doc is dropped back to bytes this long
   * after the room's last write, once everything is durable. Shorter saves memory sooner; longer
   * spares a burst of edits with pauses the revive (≈ 8.5 ms per 1,000 rows here, blocking).
   */
  DOC_IDLE_MS: 10_000,
  /**
   * At most this many rooms hold a live Y.Doc; past it, the least recently written idle ones
   * drop to bytes at once (a bound on memory however many workbooks are written together).
   */
  MAX_LIVE_DOCS: 16,
  /**
   * A doc written within this long is not dropped for MAX_LIVE_DOCS (rooms written at the same
   * time would drop and revive each other's docs on every batch); the cap may be passed briefly.
   */
  LIVE_DOC_MIN_IDLE_MS: 1_000,
  /**
   * Once this many bytes of large allocations (dropped docs, cold reads) were let go, a full GC
   * (and a follow-up) runs RECLAIM_QUIET_MS after the last of them (reclaim.ts), so a quiet server gives the memory
   * back instead of keeping it until V8's next collection.
   */
  RECLAIM_MIN_BYTES: 1024 * 1024,
  RECLAIM_QUIET_MS: 1_000,
  /**
   * ...but not while the live docs hold more than this (encoded): a full GC's pause grows with what
   * is live (~110 ms with one live 100,000-row doc, ~20 MB encoded; a few ms when nothing is).
   */
  RECLAIM_MAX_LIVE_BYTES: 2 * 1024 * 1024,
  /** Unload a room this long after its last connection left (and its writes are durable). */
  ROOM_IDLE_UNLOAD_MS: 30_000,
  /** Ping every interval; a connection that missed the previous pong is terminated. */
  PING_INTERVAL_MS: 30_000,
  /** Close a connection whose unsent buffer passes this (slow consumer). */
  MAX_BUFFERED_BYTES: 160 * 1024 * 1024,
  /** What a connection may queue while its room loads. */
  MAX_PRELOAD_QUEUE_BYTES: 80 * 1024 * 1024,
  MAX_PRELOAD_QUEUE_MESSAGES: 1_000,
  /** Token bucket per connection: sustained messages/s and burst. */
  RATE_MESSAGES_PER_S: 2_000,
  RATE_BURST_MESSAGES: 5_000,
  /** Token bucket per connection: sustained bytes/s and burst (the burst admits one max frame). */
  RATE_BYTES_PER_S: 16 * 1024 * 1024,
  RATE_BURST_BYTES: 80 * 1024 * 1024,
  /** Largest awareness state (JSON) per client; larger entries are dropped. */
  MAX_AWARENESS_STATE_BYTES: 4 * 1024,
  /** How many awareness client ids one connection may own. */
  MAX_CLIENT_IDS_PER_CONNECTION: 4,
  /** SIGTERM/SIGINT: exit within this even if storage hangs. */
  SHUTDOWN_TIMEOUT_MS: 9_000,
} as const
export type Limits = { -readonly [K in keyof typeof LIMITS]: number }
