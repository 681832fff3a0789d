import {
  type Command,
  type CommandContext,
  chordLabel,
  commands,
} from '../../app/toolbarExtensions'
import { offeredTo } from '../../app/viewerVisibility'
import { t } from '../../i18n'
import type { MenuItem } from '../ContextMenu'

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** A command's label in the current locale. */
export function commandLabel(cmd: Command, ctx: CommandContext): string {
  if (typeof cmd.label === 'string') return t(cmd.label)
  const [key, params] = cmd.label(ctx)
  return t(key, params)
}

/** The first key of a command as shown ("Ctrl Shift +"; "Ctrl+Y" with sep '+'), if any. */
export function commandShortcut(cmd: Command, sep = ' '): string | undefined {
  const k = cmd.keys?.[0]
  return k ? chordLabel(k, isMac(), sep) : undefined
}

/** The context menu: every command with a `menu` entry, in table order. */
export function menuItems(ctx: CommandContext): MenuItem[] {
  return commands
    .filter((c) => c.menu && offeredTo(c, ctx))
    .map((c) => ({
      label: commandLabel(c, ctx),
      shortcut: commandShortcut(c),
      danger: c.menu?.danger,
      disabled: !c.enabled(ctx),
      action: () => c.run(ctx),
    }))
}
