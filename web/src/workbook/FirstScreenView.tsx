import { For } from 'solid-js'
import type { FirstScreen } from '../doc/firstScreen'
import { formatNumber, locale, t } from '../i18n'
import { showFirstScreen } from './earlyGrid'

/**
 * The workbook view while its doc is read and applied, painted from the first-screen cache
 * (`doc/firstScreen.ts`): the same layout as the open view (toolbar, grid, tabs, status bar), the
 * grid read-only and the toolbar saying it is still opening. The open view's grid adopts this
 * grid and its rows (`earlyGrid.ts`).
 */
export function FirstScreenView(props: { workbookId: string; screen: FirstScreen }) {
  const screen = props.screen
  return (
    <div class="workbook first-screen" data-testid="first-screen" aria-busy="true">
      <div class="toolbar">
        <a class="btn ghost" href="#/">
          ← {t('wb.home')}
        </a>
        <input class="title-input" aria-label={t('wb.renameTitle')} value={screen.title} readOnly />
        <span class="muted first-screen-note" data-testid="first-screen-note">
          {t('wb.loading')}
        </span>
        <span class="spacer" />
        <button type="button" class="btn" disabled>
          {t('wb.undo')}
        </button>
      </div>
      <div class="wb-body">
        <div class="grid-area">
          <div
            class="grid-host"
            ref={(el) =>
              queueMicrotask(() => showFirstScreen(props.workbookId, el, screen, locale()))
            }
          />
        </div>
      </div>
      <nav class="sheet-tabs" aria-label="sheets">
        <For each={screen.sheets}>
          {(s) => <span class={`tab ${s.id === screen.sheetId ? 'active' : ''}`}>{s.name}</span>}
        </For>
      </nav>
      <footer class="status-bar">
        <span>{t('status.rows', { n: formatNumber(screen.rowCount) })}</span>
      </footer>
    </div>
  )
}
