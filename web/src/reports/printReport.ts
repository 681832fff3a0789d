/** The class on <html> while the report page prints: reports.css's print rules apply only then. */
export const REPORT_PRINTING = 'tz-report-printing'

/**
 * Prints the report page. Its print CSS (hide everything else, A4 portrait) is scoped to
 * `html.tz-report-printing`, set here until the browser's `afterprint`, so printing anything else
 * (the sheet print in web/src/print, the browser's own Ctrl+P) is not affected.
 */
export function printReport(win: Window = window): void {
  const root = win.document.documentElement
  root.classList.add(REPORT_PRINTING)
  const done = () => {
    root.classList.remove(REPORT_PRINTING)
    win.removeEventListener('afterprint', done)
  }
  win.addEventListener('afterprint', done)
  win.print()
}
