import type { Component } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'
import type { SheetGridHandle } from '../grid/makeSheetGrid'
import type { MessageKey } from '../i18n'

/** What a toolbar extension receives: the open workbook and the sheet on screen. */
export interface ToolbarExtensionProps {
  session: WorkbookSession
  /** The sheet shown in the grid, or null when the workbook has none. */
  sheetId: () => string | null
  /** Switch the view to a sheet (e.g. after importing into a new one). */
  selectSheet: (sheetId: string) => void
  /** Row ids as the grid shows them now (its filter and sort applied), or null before it loads. */
  visibleRowIds?: () => string[] | null
}

/**
 * Components mounted in the workbook toolbar after the built-in command buttons, in order.
 * Features with their own UI (CSV import/export in web/src/csv) register here from their module:
 *
 * @example
 * import { toolbarExtensions } from '../app/toolbarExtensions'
 * toolbarExtensions.push(CsvMenu)
 */
export const toolbarExtensions: Component<ToolbarExtensionProps>[] = []

// ---- the command table ------------------------------------------------------------------------

/** The workbook view's side panels. */
export type PanelName =
  | 'columns'
  | 'problems'
  // issue 13: the conflict inbox, the focused cell's history, the trash
  | 'conflicts'
  | 'cellHistory'
  | 'trash'
  // versions-web (issue 13 §3): the 版本 panel
  | 'versions'

/** What a command can see and do: the open workbook, its grid, and the view around them. */
export interface CommandContext {
  session: WorkbookSession
  /** The grid of the sheet on screen (null while none is shown). */
  grid: SheetGridHandle | null
  sheetId: string | null
  readOnly: boolean
  /** The view's state and actions commands use. */
  view: {
    panel(): PanelName | null
    togglePanel(p: PanelName): void
    problemCount(): number
    canUndo(): boolean
    canRedo(): boolean
    share(): void
  }
}

/**
 * A key chord: modifiers then the key, joined by `+`: `Mod+Z` (Ctrl, or Cmd on a Mac),
 * `Mod+Shift+Z`, `Alt+Shift+ArrowUp`, `Delete`, `Mod++` (the plus key). Letters match either case.
 */
export type KeyChord = string

/**
 * One user action, declared once: the toolbar, the context menu and the keyboard all read this
 * table, so a label, a shortcut or an enabled rule cannot drift between them.
 */
export interface Command {
  id: string
  /** Its label: a catalog key, or a key with parameters for the current context. */
  label: MessageKey | ((ctx: CommandContext) => [MessageKey, Record<string, string | number>?])
  /** Keys that run it while the grid has focus and no editor is open; the first is shown. */
  keys?: readonly KeyChord[]
  enabled(ctx: CommandContext): boolean
  run(ctx: CommandContext): void
  /**
   * The browser's clipboard event does the work (copy, cut, paste): the key is kept from AG Grid
   * but not prevented or run here.
   */
  native?: boolean
  /**
   * A toolbar button: before the extensions (`main`) or after them (`end`); `more`: a button
   * never shown on the row, offered by 更多 like any hidden one (grid-ui, issue 12).
   */
  toolbar?: {
    slot: 'main' | 'end' | 'more'
    /** Text before the label ("+"). */
    icon?: string
    testId?: string
    variant?: (ctx: CommandContext) => 'primary' | 'warn' | undefined
  }
  /** An item of the grid's context menu, in table order. */
  menu?: { danger?: boolean }
  /**
   * access-client (issue 16 §1): whether the command is offered at all to this session (false:
   * hidden, not greyed, e.g. 分享 for a role that may not share). Default: offered.
   */
  offered?: (ctx: CommandContext) => boolean
}

/** Every command, in display order. Features add theirs with `registerCommands`. */
export const commands: Command[] = []

/** Adds commands (replacing any with the same id, so a module loaded twice stays single). */
export function registerCommands(list: readonly Command[]): void {
  for (const c of list) {
    const i = commands.findIndex((x) => x.id === c.id)
    if (i >= 0) commands[i] = c
    else commands.push(c)
  }
}

interface ParsedChord {
  mod: boolean
  shift: boolean
  alt: boolean
  key: string
}
const parsed = new Map<KeyChord, ParsedChord>()
function parseChord(chord: KeyChord): ParsedChord {
  let p = parsed.get(chord)
  if (p) return p
  // 'Mod++' is the plus key: split the key off at the last '+' that is not the key itself.
  const cut = chord.endsWith('++') ? chord.length - 1 : chord.lastIndexOf('+') + 1
  const mods = chord.slice(0, cut).split('+')
  p = {
    mod: mods.includes('Mod'),
    shift: mods.includes('Shift'),
    alt: mods.includes('Alt'),
    key: chord.slice(cut).toLowerCase(),
  }
  parsed.set(chord, p)
  return p
}

/** Whether a keyboard event is the chord (exact modifiers; letters in either case). */
export function matchesChord(e: KeyboardEvent, chord: KeyChord): boolean {
  const p = parseChord(chord)
  return (
    e.key.toLowerCase() === p.key &&
    (e.ctrlKey || e.metaKey) === p.mod &&
    e.shiftKey === p.shift &&
    e.altKey === p.alt
  )
}

/** The command bound to a key, if any (enabled or not). */
export function commandForKey(e: KeyboardEvent): Command | undefined {
  return commands.find((c) => c.keys?.some((k) => matchesChord(e, k)))
}

/** Whether AG Grid must leave this key alone (a command owns it). */
export function isCommandKey(e: KeyboardEvent): boolean {
  return commandForKey(e) !== undefined
}

/**
 * Runs the command bound to a key; true when a command owns the key (its default action is
 * then prevented, even if the command is disabled right now).
 */
export function runKey(e: KeyboardEvent, ctx: CommandContext): boolean {
  const c = commandForKey(e)
  if (!c || c.native) return false
  if (c.enabled(ctx)) c.run(ctx)
  return true
}

/** A chord as shown in menus (`Mod+Shift++` → "Ctrl Shift +") or tooltips (sep '+': "Ctrl+Y"). */
export function chordLabel(chord: KeyChord, mac = false, sep = ' '): string {
  const p = parseChord(chord)
  const parts: string[] = []
  if (p.mod) parts.push(mac ? '⌘' : 'Ctrl')
  if (p.alt) parts.push(mac ? '⌥' : 'Alt')
  if (p.shift) parts.push('Shift')
  const key = chord.slice(chord.endsWith('++') ? chord.length - 1 : chord.lastIndexOf('+') + 1)
  parts.push(key.length === 1 ? key.toUpperCase() : key)
  return parts.join(sep)
}
