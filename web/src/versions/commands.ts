import { registerCommands } from '../app/toolbarExtensions'

/**
 * 版本 (issue 13 §3): an item of the toolbar's 更多 menu (the row stays one row at 1280 px);
 * viewers may open the panel too (it hides the buttons that write).
 */
registerCommands([
  {
    id: 'panel.versions',
    label: 'versions.title',
    enabled: () => true,
    run: (ctx) => ctx.view.togglePanel('versions'),
    toolbar: { slot: 'more', testId: 'versions-button' },
  },
])
