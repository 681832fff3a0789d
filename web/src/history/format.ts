import {
  type CellHistoryItem,
  type CellValue,
  type ConflictKind,
  type EditHow,
  formatValue,
  type Sheet,
  type WorkbookConflict,
} from '@taizhang/shared'
import { formatTime, locale, type MessageKey, t } from '../i18n'

/** A cell value as the grid shows it (empty: 空). */
export function valueText(sheet: Sheet, colId: string, value: CellValue): string {
  const col = sheet.column(colId) ?? sheet.deletedColumns().find((c) => c.id === colId)
  if (value === null || value === undefined || value === '') return t('history.empty')
  if (!col) return String(value)
  return formatValue(value, col, { locale: locale() })
}

const HOW_KEYS: Record<EditHow | 'inserted', MessageKey> = {
  typed: 'history.how.typed',
  paste: 'history.how.paste',
  import: 'history.how.import',
  fill: 'history.how.fill',
  undo: 'history.how.undo',
  redo: 'history.how.redo',
  restore: 'history.how.restore',
  'conflict-restore': 'history.how.conflictRestore',
  inserted: 'history.how.inserted',
}

export function howText(how: CellHistoryItem['how']): string {
  return t(HOW_KEYS[how])
}

const KIND_KEYS: Record<ConflictKind, MessageKey> = {
  'concurrent-edit': 'conflict.kind.sameCell',
  'edit-on-deleted-row': 'conflict.kind.deletedRow',
  'fill-of-deleted-column': 'conflict.kind.deletedColumn',
}

export function kindText(kind: ConflictKind): string {
  return t(KIND_KEYS[kind])
}

/** The grid marker's tooltip: each other value, who wrote it and when. */
export function markerTitle(
  sheet: Sheet,
  list: readonly WorkbookConflict[],
  /** Who lost, as the server vouches for it (attestation); the self-chosen name otherwise. */
  nameOf: (c: WorkbookConflict) => string = (c) => c.lost.by,
): string {
  return [
    t('conflict.markerTitle'),
    ...list.map((c) =>
      t('conflict.markerLine', {
        value: valueText(sheet, c.colId, c.lost.value),
        by: nameOf(c),
        at: formatTime(c.lost.at),
      }),
    ),
  ].join('\n')
}
