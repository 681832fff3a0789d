import { describe, expect, it } from 'vitest'
import { DEFAULT_RETENTION, type RetainedVersion, retain } from './retention.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
// 2026-05-06 12:00 in China (UTC+8) = 04:00 UTC.
const NOW = Date.UTC(2026, 4, 6, 4, 0, 0)

const auto = (id: string, createdAt: number): RetainedVersion => ({ id, kind: 'auto', createdAt })

describe('version retention', () => {
  it('keeps the newest automatic version of each hour within the last day', () => {
    const vs = [
      auto('a', NOW - 3 * HOUR + 5 * 60_000), // 09:05 local
      auto('b', NOW - 3 * HOUR + 50 * 60_000), // 09:50, same hour: the survivor
      auto('c', NOW - 2 * HOUR + 10 * 60_000), // 10:10, its own hour
      auto('d', NOW - 10 * 60_000), // newest
    ]
    expect(retain(vs, NOW)).toEqual(['a'])
  })

  it('keeps one per local day for 30 days and one per month before that', () => {
    const vs = [
      // Two versions on 2026-04-20 (local), older than a day: one survives.
      auto('apr20-early', Date.UTC(2026, 3, 20, 1, 0)),
      auto('apr20-late', Date.UTC(2026, 3, 20, 14, 0)),
      // 2026-04-20 23:30 local is 15:30 UTC: still the local 20th, so it replaces apr20-late.
      auto('apr20-night', Date.UTC(2026, 3, 20, 15, 30)),
      // 16:30 UTC is 00:30 on the 21st in China: a day of its own.
      auto('apr21', Date.UTC(2026, 3, 20, 16, 30)),
      // Older than 30 days: January and February 2026, one each survives.
      auto('jan-1', Date.UTC(2026, 0, 3)),
      auto('jan-2', Date.UTC(2026, 0, 28)),
      auto('feb', Date.UTC(2026, 1, 10)),
      auto('now', NOW),
    ]
    expect(retain(vs, NOW).sort()).toEqual(['apr20-early', 'apr20-late', 'jan-1'])
  })

  it('never deletes manual versions; keeps import and rollback versions whole for 30 days, then thins them', () => {
    const vs: RetainedVersion[] = [
      { id: 'm-old', kind: 'manual', createdAt: NOW - 400 * DAY },
      { id: 'm-old2', kind: 'manual', createdAt: NOW - 400 * DAY + 1 },
      { id: 'imp1', kind: 'import', createdAt: NOW - 2 * HOUR },
      { id: 'imp2', kind: 'import', createdAt: NOW - 2 * HOUR + 1000 },
      { id: 'rb', kind: 'rollback', createdAt: NOW - 2 * HOUR + 2000 },
      auto('auto-same-hour', NOW - 2 * HOUR + 3000),
      // 40 days old: thinned with the autos of that day.
      { id: 'imp-old', kind: 'import', createdAt: NOW - 40 * DAY },
      auto('auto-old', NOW - 40 * DAY + 60_000),
    ]
    expect(retain(vs, NOW)).toEqual(['imp-old'])
  })

  it('always keeps the newest version, and a future-dated one counts as new', () => {
    expect(retain([auto('only', NOW - 500 * DAY)], NOW)).toEqual([])
    const vs = [auto('x', NOW + HOUR + 1), auto('y', NOW + HOUR + 2)]
    expect(retain(vs, NOW)).toEqual(['x'])
  })

  it('is deterministic under input order and ties (equal times keep the larger id)', () => {
    const vs = [auto('p', NOW - 5 * HOUR), auto('q', NOW - 5 * HOUR), auto('z', NOW)]
    expect(retain(vs, NOW)).toEqual(['p'])
    expect(retain([...vs].reverse(), NOW)).toEqual(['p'])
  })

  it('bounds a year of hourly captures to about 24 + 30 + 12 versions', () => {
    const vs: RetainedVersion[] = []
    for (let h = 0; h < 365 * 24; h++) vs.push(auto(`h${h}`, NOW - h * HOUR))
    const kept = vs.length - retain(vs, NOW, DEFAULT_RETENTION).length
    expect(kept).toBeGreaterThanOrEqual(24 + 29 + 11)
    expect(kept).toBeLessThanOrEqual(24 + 31 + 13)
  })
})
