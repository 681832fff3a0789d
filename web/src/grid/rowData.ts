import type { RowView } from '@taizhang/shared'

/** AG Grid row data: the model's row view as is (`getRowId: p => p.data.id`). */
export type RowData = RowView
