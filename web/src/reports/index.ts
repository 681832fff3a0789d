// Reports (issue 14): summaries, cross-tabs, charts, completeness and the report page register
// themselves as a toolbar extension; boot.tsx loads this module eagerly, like csv/index.ts.
import { toolbarExtensions } from '../app/toolbarExtensions'
import { ReportsButton } from './ReportsButton'

if (!toolbarExtensions.includes(ReportsButton)) toolbarExtensions.push(ReportsButton)

export { ReportsButton }
