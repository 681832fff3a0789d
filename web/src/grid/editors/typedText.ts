/**
 * The text a type-over edit starts with. AG Grid hands an editor the one key that started it
 * (`eventKey`); an IME commits a whole word at once (你好), which the `ime` grid feature seeds
 * here just before it starts the editor, so every editor takes either the same way.
 */
let seeded: string | null = null

/** Seeds the next editor's starting text (the IME's committed text); `null` clears it. */
export function seedTypedText(text: string | null): void {
  seeded = text
}

/**
 * The text typed over the cell to start this edit: the seeded IME text, else a printable key
 * (one character), else null (the edit was started by Enter, F2, a double-click…).
 */
export function typedText(eventKey: string | null | undefined): string | null {
  if (seeded !== null) {
    const text = seeded
    seeded = null
    return text
  }
  return eventKey && eventKey.length === 1 ? eventKey : null
}
