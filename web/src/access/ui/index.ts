/** access-ui (issue 16): registers 更多 → 权限规则 in the workbook toolbar. */
import { toolbarExtensions } from '../../app/toolbarExtensions'
import { AccessRulesButton } from './AccessRulesButton'

if (!toolbarExtensions.includes(AccessRulesButton)) toolbarExtensions.push(AccessRulesButton)

export { type AccessSession, accessSessionOf, createAccessSession } from './createAccessSession'
export { PeriodLocks } from './PeriodLocks'
