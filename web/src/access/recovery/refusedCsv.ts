/**
 * 导出 CSV of the 未被接受的修改 list: the same columns as the dialog plus the time, written with
 * the CSV export's own helpers (shared/src/csv: `writeCsvText`, formula neutralising, UTF-8 with
 * BOM so Excel reads it) and downloaded like a sheet export (web/src/csv/download.ts).
 */
import { encodeCsvText, neutraliseFormula, type RefusedEdit, writeCsvText } from '@taizhang/shared'
import { downloadBytes, safeFileName } from '../../csv/download'
import { formatTime, t } from '../../i18n'
import type { RefusedText } from './RefusedChanges'

export function refusedCsvText(items: readonly { e: RefusedEdit; text: RefusedText }[]): string {
  const header = [
    t('refused.colSheet'),
    t('refused.colRow'),
    t('refused.colColumn'),
    t('refused.colOld'),
    t('refused.colNew'),
    t('refused.colWhy'),
    t('refused.colAt'),
  ]
  const rows = items.map(({ e, text }) =>
    [text.sheet, text.row, text.column, text.old, text.new, text.why, formatTime(e.at)].map(
      neutraliseFormula,
    ),
  )
  return writeCsvText(header, rows)
}

export function exportRefusedCsv(
  items: readonly { e: RefusedEdit; text: RefusedText }[],
  title: string,
): void {
  const { bytes } = encodeCsvText(refusedCsvText(items))
  downloadBytes(bytes, safeFileName(`${t('refused.fileName')}-${title}`))
}
