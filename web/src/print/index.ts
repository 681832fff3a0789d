// Printing (issue #15 §5) registers its toolbar button; web/src/csv/index.ts loads this module
// with the other file features (boot.tsx loads csv/index.ts eagerly).
import { toolbarExtensions } from '../app/toolbarExtensions'
import { PrintButton } from './PrintButton'

if (!toolbarExtensions.includes(PrintButton)) toolbarExtensions.push(PrintButton)

export { makePrintView, renderPrintView } from './printView'
export { PrintButton }
