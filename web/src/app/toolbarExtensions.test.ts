import { afterEach, describe, expect, it } from 'vitest'
import {
  type Command,
  type CommandContext,
  chordLabel,
  commands,
  isCommandKey,
  matchesChord,
  registerCommands,
  runKey,
} from './toolbarExtensions'

const key = (k: string, mods: Partial<KeyboardEventInit> = {}) =>
  ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  }) as KeyboardEvent

describe('command table', () => {
  const saved = [...commands]
  afterEach(() => {
    commands.length = 0
    commands.push(...saved)
  })

  it('matches chords with exact modifiers, the plus key and either letter case', () => {
    expect(matchesChord(key('z', { ctrlKey: true }), 'Mod+Z')).toBe(true)
    expect(matchesChord(key('Z', { metaKey: true, shiftKey: true }), 'Mod+Shift+Z')).toBe(true)
    expect(matchesChord(key('z', { ctrlKey: true, shiftKey: true }), 'Mod+Z')).toBe(false)
    expect(matchesChord(key('+', { ctrlKey: true, shiftKey: true }), 'Mod+Shift++')).toBe(true)
    expect(matchesChord(key('+', { ctrlKey: true }), 'Mod++')).toBe(true)
    expect(matchesChord(key('Delete'), 'Delete')).toBe(true)
    expect(chordLabel('Mod+Shift++')).toBe('Ctrl Shift +')
    expect(chordLabel('Alt+Shift+ArrowUp', true)).toBe('⌥ Shift ArrowUp')
  })

  it('runs an enabled command by key, keeps a disabled one from the grid, skips native ones', () => {
    const ran: string[] = []
    let enabled = true
    const cmd = (id: string, keys: string[], native = false): Command => ({
      id,
      label: 'wb.undo',
      keys,
      native,
      enabled: () => enabled,
      run: () => ran.push(id),
    })
    registerCommands([cmd('test.a', ['Mod+K']), cmd('test.copy', ['Mod+C'], true)])
    registerCommands([cmd('test.a', ['Mod+J'])]) // replaces, does not duplicate
    expect(commands.filter((c) => c.id === 'test.a')).toHaveLength(1)
    const ctx = {} as CommandContext
    expect(runKey(key('j', { ctrlKey: true }), ctx)).toBe(true)
    expect(ran).toEqual(['test.a'])
    enabled = false
    expect(runKey(key('j', { ctrlKey: true }), ctx)).toBe(true)
    expect(ran).toEqual(['test.a'])
    expect(runKey(key('c', { ctrlKey: true }), ctx)).toBe(false)
    expect(isCommandKey(key('c', { ctrlKey: true }))).toBe(true)
    expect(isCommandKey(key('k', { ctrlKey: true }))).toBe(false)
  })
})
