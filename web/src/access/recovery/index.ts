// access-recovery (issue 16 §3): the 未被接受的修改 toolbar entry, its list and the rebuild after a
// refusal. Loaded eagerly by boot.tsx so a refusal is handled on every open workbook.
import { toolbarExtensions } from '../../app/toolbarExtensions'
import { RefusedChanges } from './RefusedChanges'

if (!toolbarExtensions.includes(RefusedChanges)) toolbarExtensions.push(RefusedChanges)

export { RefusedChanges }
