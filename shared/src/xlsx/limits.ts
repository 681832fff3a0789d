/** Limits of the .xlsx import (issue #15 §1); docs/XLSX.md explains the numbers. */

/** Largest .xlsx read: 100 MiB (a 100,000 × 12 ledger is 7–16 MB; a 200 MB file is refused). */
export const MAX_XLSX_BYTES = 100 * 1024 * 1024
/** Most zip entries: a workbook has tens; thousands of entries is a crafted archive. */
export const MAX_XLSX_ENTRIES = 10_000
/** Most uncompressed bytes, declared and actual, over all entries (a zip bomb is refused here). */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
/** Rows looked at above the data for title and header rows. */
export const XLSX_HEADER_SCAN_ROWS = 12
