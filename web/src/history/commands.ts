import { registerCommands } from '../app/toolbarExtensions'
import { peekConflictWatch } from './conflictWatch'

/**
 * The history commands (issue 13): the 冲突 (N) inbox and the 回收站 in the toolbar, 单元格历史 in
 * the context menu and on Ctrl+Alt+H. Viewers may open all three (the panels hide the buttons
 * that write).
 */
registerCommands([
  {
    id: 'panel.conflicts',
    label: (ctx) => [
      'conflict.inbox',
      { n: peekConflictWatch(ctx.session.workbook)?.unsettled().length ?? 0 },
    ],
    enabled: () => true,
    run: (ctx) => ctx.view.togglePanel('conflicts'),
    toolbar: {
      slot: 'main',
      testId: 'conflicts-button',
      variant: (ctx) =>
        peekConflictWatch(ctx.session.workbook)?.unsettled().length ? 'warn' : undefined,
    },
  },
  {
    id: 'cell.history',
    label: 'history.title',
    keys: ['Mod+Alt+H'],
    enabled: (ctx) => ctx.grid !== null,
    run: (ctx) => ctx.view.togglePanel('cellHistory'),
    menu: {},
  },
  {
    id: 'panel.trash',
    label: 'trash.title',
    enabled: () => true,
    run: (ctx) => ctx.view.togglePanel('trash'),
    toolbar: { slot: 'main', testId: 'trash-button' },
  },
])
