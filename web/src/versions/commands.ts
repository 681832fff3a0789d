import { registerCommands } from '../app/toolbarExtensions'

/**
 * 版本 (issue 13 §3): a toolbar command at the end of the row (fitOneRow moves it into 更多 when the
 * row is full); viewers may open the panel too (it hides the buttons that write).
 */
registerCommands([
  {
    id: 'panel.versions',
    label: 'versions.title',
    enabled: () => true,
    run: (ctx) => ctx.view.togglePanel('versions'),
    toolbar: { slot: 'end', testId: 'versions-button' },
  },
])
