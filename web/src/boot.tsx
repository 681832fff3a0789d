/** The app itself, loaded by main.tsx once the workbook's IndexedDB read is under way. */
import { registerSW } from 'virtual:pwa-register'
import { createSignal } from 'solid-js'
import { render } from 'solid-js/web'
import { App } from './App'

// Optional features register toolbar extensions from their own module (web/src/csv/index.ts).
import.meta.glob('./csv/index.ts', { eager: true })

const [offlineReady, setOfflineReady] = createSignal(false)
const [needRefresh, setNeedRefresh] = createSignal(false)
const updateSW = registerSW({
  immediate: true,
  onOfflineReady: () => setOfflineReady(true),
  onNeedRefresh: () => setNeedRefresh(true),
})

const root = document.getElementById('root')
if (!root) throw new Error('#root missing from index.html')
render(
  () => (
    <App offlineReady={offlineReady} needRefresh={needRefresh} reload={() => void updateSW(true)} />
  ),
  root,
)
