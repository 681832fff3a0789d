import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatValue } from '../schema/values.js'

describe('CSV8 export formatting fast paths', () => {
  it('CSV8 a safe integer written as String(n) is what formatValue(…, { forEdit }) writes', () => {
    for (const type of ['number', 'integer', 'money'] as const) {
      const col = {
        type,
        format: type === 'money' ? { unit: '万元' as const } : {},
        constraints: {},
      }
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer(),
            fc.maxSafeInteger(),
            fc.maxSafeNat().map((n) => -n),
          ),
          (n) => {
            if (Object.is(n, -0)) return
            expect(String(n)).toBe(formatValue(n, col, { forEdit: true }))
          },
        ),
      )
    }
  })
})
