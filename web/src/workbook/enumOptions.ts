import type { EnumOption } from '@taizhang/shared'
import { t } from '../i18n'

/** Colours offered to a new option in turn (tags stay readable with white text). */
export const OPTION_COLORS = [
  '#2563eb',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#65a30d',
  '#dc2626',
] as const

/**
 * Why `options` cannot be saved (zh/en through `t`), or null: every option needs a value, and no
 * two may share one (the cell stores the value).
 */
export function checkOptions(options: readonly EnumOption[]): string | null {
  const seen = new Set<string>()
  for (const o of options) {
    const v = o.value.trim()
    if (!v) return t('enum.emptyValue')
    if (seen.has(v)) return t('enum.duplicate', { v })
    seen.add(v)
  }
  return null
}
