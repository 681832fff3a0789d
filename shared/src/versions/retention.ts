/**
 * Which stored versions of a workbook to keep (issue 13 §3). Pure: the server calls `retain` after
 * each capture and deletes the ids it returns.
 *
 * Policy (docs/ARCHITECTURE.md, "Versions"):
 * - `manual` versions (保存版本, named by a person) are never deleted.
 * - `import` and `rollback` versions (taken before an import or a rollback) are kept whole for
 *   `eventDays` (30); older ones are thinned with the automatic ones below.
 * - Automatic versions are thinned by age: for the last `hourlyHours` (24) the newest of each
 *   hour, for the last `dailyDays` (30) the newest of each day, before that the newest of each
 *   month, for ever. Hours, days and months are those of the clock `utcOffsetMinutes` east of UTC
 *   (China Standard Time, UTC+8, by default), so "a day" is a local day.
 * - The newest version is always kept (the schedule compares the next capture with it).
 */

export type VersionKind = 'auto' | 'import' | 'manual' | 'rollback'

/** What retention needs to know of a stored version. */
export interface RetainedVersion {
  id: string
  kind: VersionKind
  /** Unix milliseconds. */
  createdAt: number
}

export interface RetentionPolicy {
  /** Keep one automatic version per hour for this many hours. */
  hourlyHours: number
  /** Then one per day for this many days (counted from now). */
  dailyDays: number
  /** Import and rollback versions are kept whole for this many days. */
  eventDays: number
  /** Offset of the local clock that draws hour, day and month lines, in minutes east of UTC. */
  utcOffsetMinutes: number
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  hourlyHours: 24,
  dailyDays: 30,
  eventDays: 30,
  utcOffsetMinutes: 8 * 60,
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The bucket a thinned version falls into: one survivor per bucket (the newest). */
function bucketOf(createdAt: number, now: number, policy: RetentionPolicy): string {
  const age = now - createdAt
  const local = createdAt + policy.utcOffsetMinutes * 60_000
  if (age < policy.hourlyHours * HOUR_MS) return `h${Math.floor(local / HOUR_MS)}`
  if (age < policy.dailyDays * DAY_MS) return `d${Math.floor(local / DAY_MS)}`
  const d = new Date(local)
  return `m${d.getUTCFullYear()}-${d.getUTCMonth()}`
}

/**
 * The ids of `versions` to delete at `now` under `policy` (any order in, ids out in input order).
 * Versions from the future (a clock set back) count as new: they fall into the hourly window.
 *
 * @example
 * retain([{ id: 'a', kind: 'auto', createdAt: t }, { id: 'b', kind: 'auto', createdAt: t + 60_000 }], t + 120_000)
 * // → ['a']: both in one hour, the newer stays
 */
export function retain(
  versions: readonly RetainedVersion[],
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): string[] {
  let newest: RetainedVersion | undefined
  for (const v of versions) {
    if (
      !newest ||
      v.createdAt > newest.createdAt ||
      (v.createdAt === newest.createdAt && v.id > newest.id)
    )
      newest = v
  }
  /** Per bucket, the newest thinned version (ties broken by id, so the answer is deterministic). */
  const survivor = new Map<string, RetainedVersion>()
  const thinned: Array<{ v: RetainedVersion; bucket: string }> = []
  for (const v of versions) {
    if (v.kind === 'manual') continue
    if (v.kind !== 'auto' && now - v.createdAt < policy.eventDays * DAY_MS) continue
    const bucket = bucketOf(v.createdAt, now, policy)
    thinned.push({ v, bucket })
    const best = survivor.get(bucket)
    if (!best || v.createdAt > best.createdAt || (v.createdAt === best.createdAt && v.id > best.id))
      survivor.set(bucket, v)
  }
  const drop = new Set<string>()
  for (const { v, bucket } of thinned) {
    if (survivor.get(bucket) !== v && v !== newest) drop.add(v.id)
  }
  return versions.filter((v) => drop.has(v.id)).map((v) => v.id)
}
