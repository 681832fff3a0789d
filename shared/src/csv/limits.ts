/** Limits an import refuses past (rule CSV7); docs/CSV.md explains the numbers. */

/** Largest file we read: 256 MiB (the issue asks for at least 200 MB). */
export const MAX_CSV_BYTES = 256 * 1024 * 1024
/** Widest row: more fields than this is refused (a wrong delimiter or a broken file, not a ledger). */
export const MAX_CSV_COLUMNS = 1000
/** Longest single cell, in UTF-16 code units. A 50,000-character note imports; 100,001 is refused. */
export const MAX_CSV_CELL_CHARS = 100_000
/** Longest record (all its fields with separators); also catches an unclosed quote swallowing the file. */
export const MAX_CSV_ROW_CHARS = 2_000_000
/** Rows shown in the import preview. */
export const CSV_PREVIEW_ROWS = 50
/** Examples kept per issue (misfits, ragged rows…). */
export const CSV_ISSUE_EXAMPLES = 5
/** Bytes read per chunk when streaming a file. */
export const CSV_CHUNK_BYTES = 1024 * 1024
