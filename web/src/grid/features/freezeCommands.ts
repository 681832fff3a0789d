import { type CommandContext, registerCommands } from '../../app/toolbarExtensions'

const focusedColumn = (ctx: CommandContext) => ctx.grid?.focusedColId() ?? null

/**
 * 冻结至此列 / 取消冻结列 (issue 12, "Freeze"): in the grid's context menu and the toolbar's 更多
 * menu. A view setting of this person on this device (grid/features/freeze.ts), so viewers may
 * use it too and nothing is written to the shared doc.
 */
registerCommands([
  {
    id: 'freeze.here',
    label: 'freeze.here',
    // Not from the focused cell: the toolbar's buttons (more) re-evaluate on the view's signals
    // only, and AG Grid's focus is not one. Without a focused cell it does nothing.
    enabled: (ctx) => ctx.grid !== null,
    run: (ctx) => {
      const colId = focusedColumn(ctx)
      if (colId) ctx.grid?.freezeTo(colId)
    },
    toolbar: { slot: 'more' },
    menu: {},
  },
  {
    id: 'freeze.off',
    label: 'freeze.off',
    enabled: (ctx) => ctx.grid !== null,
    run: (ctx) => ctx.grid?.freezeTo(null),
    toolbar: { slot: 'more' },
    menu: {},
  },
])
