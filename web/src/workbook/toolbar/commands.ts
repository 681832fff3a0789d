// access-client (issue 16 §3): undo/redo steps are checked against the access rules first
import { sessionMayShare } from '../../access/share/shareRoles'
import { runUndo } from '../../access/undo/guardedUndo'
import { type Command, registerCommands } from '../../app/toolbarExtensions'
import { t } from '../../i18n'

const hasGrid = (ctx: Parameters<Command['enabled']>[0]) => ctx.grid !== null

/**
 * The workbook's built-in commands: toolbar buttons, context-menu items and grid keys, each
 * declared once. Features add theirs with `registerCommands` from their own module.
 */
export const builtinCommands: Command[] = [
  {
    id: 'undo',
    label: 'wb.undo',
    keys: ['Mod+Z'],
    enabled: (ctx) => !ctx.readOnly && ctx.view.canUndo(),
    run: (ctx) => {
      runUndo(ctx.session.workbook, ctx.session.undo, 'undo')
    },
    toolbar: { slot: 'main', testId: 'undo' },
  },
  {
    id: 'redo',
    label: 'wb.redo',
    keys: ['Mod+Y', 'Mod+Shift+Z', 'Mod+Shift+Y'],
    enabled: (ctx) => !ctx.readOnly && ctx.view.canRedo(),
    run: (ctx) => {
      runUndo(ctx.session.workbook, ctx.session.undo, 'redo')
    },
    toolbar: { slot: 'main' },
  },
  {
    id: 'row.addAtEnd',
    label: 'wb.addRow',
    enabled: (ctx) => !ctx.readOnly && ctx.sheetId !== null,
    run: (ctx) => ctx.grid?.addRowAtEnd(),
    toolbar: { slot: 'main', icon: '+', testId: 'add-row' },
  },
  {
    id: 'panel.columns',
    label: 'wb.columns',
    enabled: (ctx) => ctx.sheetId !== null,
    run: (ctx) => ctx.view.togglePanel('columns'),
    toolbar: { slot: 'main' },
  },
  {
    id: 'panel.problems',
    label: (ctx) => ['wb.problems', { n: ctx.view.problemCount() }],
    enabled: () => true,
    run: (ctx) => ctx.view.togglePanel('problems'),
    toolbar: {
      slot: 'main',
      testId: 'problems-button',
      variant: (ctx) => (ctx.view.problemCount() ? 'warn' : undefined),
    },
  },
  {
    id: 'share',
    label: 'wb.share',
    // access-client (issue 16 §1): only roles the server lets mint links see 分享 (owners, editors);
    // viewers, scoped editors and approvers don't (web/src/access/share/shareRoles.ts).
    offered: (ctx) => sessionMayShare(ctx.session),
    enabled: (ctx) => !ctx.readOnly && sessionMayShare(ctx.session),
    run: (ctx) => ctx.view.share(),
    toolbar: { slot: 'end', testId: 'share', variant: () => 'primary' },
  },
  {
    id: 'row.insertAbove',
    label: 'row.insertAbove',
    keys: ['Mod++', 'Mod+='],
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx),
    run: (ctx) => ctx.grid?.insertRow('above'),
    menu: {},
  },
  {
    id: 'row.insertBelow',
    label: 'row.insertBelow',
    keys: ['Mod+Shift++', 'Mod+Shift+='],
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx),
    run: (ctx) => ctx.grid?.insertRow('below'),
    menu: {},
  },
  {
    id: 'row.delete',
    label: (ctx) => {
      const n = ctx.grid?.selectedRowIds().length ?? 0
      return n > 1 ? ['row.deleteN', { n }] : ['row.delete']
    },
    keys: ['Mod+-'],
    enabled: (ctx) => !ctx.readOnly && (ctx.grid?.selectedRowIds().length ?? 0) > 0,
    run: (ctx) => ctx.grid?.deleteSelectedRows(),
    menu: { danger: true },
  },
  {
    id: 'cells.clear',
    label: 'cells.clear',
    keys: ['Delete', 'Backspace'],
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx),
    run: (ctx) => ctx.grid?.clearSelectedCells(),
  },
  {
    id: 'clipboard.copy',
    label: 'row.copy',
    keys: ['Mod+C'],
    native: true,
    enabled: hasGrid,
    run: (ctx) => {
      const text = ctx.grid?.copySelection() ?? ''
      void navigator.clipboard?.writeText(text).catch(() => {})
    },
    menu: {},
  },
  {
    id: 'clipboard.cut',
    label: 'cells.cut',
    keys: ['Mod+X'],
    native: true,
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx),
    run: (ctx) => {
      const text = ctx.grid?.copySelection() ?? ''
      void navigator.clipboard
        ?.writeText(text)
        .then(() => ctx.grid?.clearSelectedCells())
        .catch(() => {})
    },
  },
  {
    id: 'clipboard.paste',
    label: 'row.paste',
    keys: ['Mod+V'],
    native: true,
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx),
    run: (ctx) => {
      void navigator.clipboard
        ?.readText()
        .then((text) => ctx.grid?.pasteText(text))
        .catch(() => {})
    },
    menu: {},
  },
  {
    id: 'row.moveUp',
    label: 'row.moveUp',
    keys: ['Alt+Shift+ArrowUp'],
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx) && !ctx.grid?.isSorted(),
    run: (ctx) => ctx.grid?.moveRows(-1),
    menu: {},
  },
  {
    id: 'row.moveDown',
    label: 'row.moveDown',
    keys: ['Alt+Shift+ArrowDown'],
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx) && !ctx.grid?.isSorted(),
    run: (ctx) => ctx.grid?.moveRows(1),
    menu: {},
  },
  {
    id: 'row.moveTo',
    label: 'row.moveTo',
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx) && !ctx.grid?.isSorted(),
    run: (ctx) => {
      const n = ctx.grid?.api.getDisplayedRowCount() ?? 0
      let hint = ''
      for (let tries = 0; tries < 3; tries++) {
        const answer = window.prompt(`${hint}${t('row.moveToPrompt', { n })}`)
        if (answer === null) return
        const to = Number(answer.trim())
        if (Number.isInteger(to) && to >= 1 && to <= n) {
          ctx.grid?.moveRowsTo(to)
          return
        }
        hint = `${t('row.moveToBad', { v: answer, n })}\n`
      }
    },
    menu: {},
  },
  {
    id: 'cells.fillDown',
    label: 'cells.fillDown',
    keys: ['Mod+D'],
    enabled: (ctx) => !ctx.readOnly && hasGrid(ctx),
    run: (ctx) => ctx.grid?.fillDown(),
    menu: {},
  },
  {
    id: 'sort.asc',
    label: 'sort.asc',
    enabled: (ctx) => !!ctx.grid?.focusedColId(),
    run: (ctx) => ctx.grid?.sortFocused('asc'),
    menu: {},
  },
  {
    id: 'sort.desc',
    label: 'sort.desc',
    enabled: (ctx) => !!ctx.grid?.focusedColId(),
    run: (ctx) => ctx.grid?.sortFocused('desc'),
    menu: {},
  },
  {
    id: 'sort.clear',
    label: 'sort.clear',
    enabled: (ctx) => !!ctx.grid?.api.getColumnState().some((c) => c.sort),
    run: (ctx) => ctx.grid?.sortFocused(null),
    menu: {},
  },
  {
    id: 'range.selectAll',
    label: 'range.selectAll',
    keys: ['Mod+A'],
    enabled: hasGrid,
    run: (ctx) => ctx.grid?.selectAll(),
  },
  {
    id: 'range.rows',
    label: 'range.rows',
    keys: ['Shift+ '],
    enabled: hasGrid,
    run: (ctx) => ctx.grid?.selectWhole('rows'),
  },
  {
    id: 'range.columns',
    label: 'range.columns',
    keys: ['Mod+ '],
    enabled: hasGrid,
    run: (ctx) => ctx.grid?.selectWhole('columns'),
  },
  ...(
    [
      ['Up', -1, 0],
      ['Down', 1, 0],
      ['Left', 0, -1],
      ['Right', 0, 1],
    ] as const
  ).map(
    ([dir, dr, dc]): Command => ({
      id: `range.extend${dir}`,
      label: 'range.extend',
      keys: [`Shift+Arrow${dir}`],
      enabled: hasGrid,
      run: (ctx) => ctx.grid?.extendRange(dr, dc),
    }),
  ),
  {
    id: 'menu.open',
    label: 'cells.menu',
    keys: ['ContextMenu', 'Shift+F10'],
    enabled: hasGrid,
    run: (ctx) => ctx.grid?.openContextMenu(),
  },
]

registerCommands(builtinCommands)
