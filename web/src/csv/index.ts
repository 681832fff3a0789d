// CSV import/export registers itself as a toolbar extension; main.tsx loads this module eagerly.
import { toolbarExtensions } from '../app/toolbarExtensions'
import { CsvMenu } from './CsvMenu'

if (!toolbarExtensions.includes(CsvMenu)) toolbarExtensions.push(CsvMenu)

// Printing (issue #15 §5) comes with the file features.
import '../print/index'

export { ExportDialog } from './ExportDialog'
export { ImportDialog } from './ImportDialog'
export { makeCsvImporter } from './importClient'
export { CsvMenu }
