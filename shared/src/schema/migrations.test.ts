import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { syncAll } from '../test/relay.js'
import { checkMigrations, type Migration, migrate, readSchemaVersion } from './migrations.js'

const v2: Migration = {
  version: 2,
  description: 'test: default title',
  up(doc) {
    const meta = doc.getMap('meta')
    if (meta.get('title') === '') meta.set('title', '未命名台账')
  },
}

describe('migrations', () => {
  it('fails at load time on a gap or wrong order', () => {
    expect(() =>
      checkMigrations([
        { ...v2, version: 1 },
        { ...v2, version: 3 },
      ]),
    ).toThrow(/migration 2 missing/)
    expect(checkMigrations([{ ...v2, version: 1 }, v2])).toBe(2)
  })

  it('applies only the missing migrations and records the version', () => {
    const doc = new Y.Doc()
    const list: Migration[] = [{ version: 1, description: 'noop', up() {} }, v2]
    expect(migrate(doc, list)).toEqual({ ok: true, from: 0, to: 2, applied: [1, 2] })
    expect(readSchemaVersion(doc)).toBe(2)
    expect(migrate(doc, list)).toEqual({ ok: true, from: 2, to: 2, applied: [] })
  })

  it('is idempotent when two offline clients run the same migration', () => {
    const a = new Y.Doc()
    a.getMap('meta').set('title', '')
    a.getMap('meta').set('schemaVersion', 1)
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const list: Migration[] = [{ version: 1, description: 'noop', up() {} }, v2]
    a.transact(() => migrate(a, list))
    b.transact(() => migrate(b, list))
    syncAll(a, b)
    for (const d of [a, b]) {
      expect(d.getMap('meta').get('title')).toBe('未命名台账')
      expect(readSchemaVersion(d)).toBe(2)
    }
  })

  it('reports a doc newer than the code and leaves it untouched', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('schemaVersion', 7)
    const sv = Y.encodeStateVector(doc)
    expect(migrate(doc)).toEqual({ ok: false, reason: 'newer', docVersion: 7, codeVersion: 1 })
    expect(Y.encodeStateVector(doc)).toEqual(sv)
  })
})
