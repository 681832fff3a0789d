/**
 * The entry: as small as possible. If the address is a workbook, its IndexedDB read starts now,
 * while the rest of the app (Solid, AG Grid, yjs: most of the bytes) loads and evaluates.
 */
import { parseRoute } from './app/route'
import { prefetchDoc } from './doc/prefetch'
import { parseShareLink } from './doc/token'
import './styles.css'

performance.mark('tz:main')
const route = parseRoute(location.hash)
const workbookId = route.page === 'workbook' ? route.id : parseShareLink(location.href)?.workbookId
if (workbookId && workbookId !== '*') prefetchDoc(workbookId)

void import('./boot')
