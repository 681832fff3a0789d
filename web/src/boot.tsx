/** The app itself, loaded by main.tsx once the workbook's IndexedDB read is under way. */
import { registerSW } from 'virtual:pwa-register'
import { createSignal } from 'solid-js'
import { render } from 'solid-js/web'
import { App } from './App'
import { afterGridPainted } from './app/afterPaint'
import { route } from './app/route'
import { parseShareLink } from './doc/token'

// Optional features register toolbar extensions from their own module (web/src/csv/index.ts).
import.meta.glob('./csv/index.ts', { eager: true })
// issue 14 (ledger): summaries, charts, completeness and the report page (web/src/reports/index.ts).
import.meta.glob('./reports/index.ts', { eager: true })
// access-recovery (issue 16 §3): the 未被接受的修改 list and the rebuild after a refusal.
import.meta.glob('./access/recovery/index.ts', { eager: true })

performance.mark('tz:boot')
const [offlineReady, setOfflineReady] = createSignal(false)
const [needRefresh, setNeedRefresh] = createSignal(false)
let updateSW: ((reload?: boolean) => Promise<void>) | null = null
const register = () => {
  updateSW = registerSW({
    immediate: true,
    onOfflineReady: () => setOfflineReady(true),
    onNeedRefresh: () => setNeedRefresh(true),
  })
}
// Opening a workbook: register (and let the browser check for an update) once its first rows are
// painted; the registration's script fetch and update check competed with reading the workbook.
if (route().page === 'workbook' || parseShareLink(location.href)?.workbookId) {
  afterGridPainted(register)
} else register()

const root = document.getElementById('root')
if (!root) throw new Error('#root missing from index.html')
render(
  () => (
    <App
      offlineReady={offlineReady}
      needRefresh={needRefresh}
      reload={() => void updateSW?.(true)}
    />
  ),
  root,
)
performance.mark('tz:rendered')
