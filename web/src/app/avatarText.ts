const CJK = /\p{Script=Han}/u

/**
 * The one or two characters an avatar shows for a name: what tells colleagues apart, not the
 * first character (二十个“王…”, or 用户甲 and 用户乙, would all show the same).
 * - A Chinese name shows its last character, the given name's (王敏 → 敏, 用户甲 → 甲,
 *   欧阳娜娜 → 娜).
 * - A name ending in digits shows up to two of them (社工42 → 42, 站点3 → 3).
 * - A Latin name shows its initials (Alice Smith → AS, bob → B).
 */
export function avatarText(name: string): string {
  const s = name.trim()
  if (!s) return '?'
  const digits = /(\d{1,2})$/.exec(s)
  if (digits && s.length > digits[1]!.length) return digits[1]!
  const chars = [...s]
  if (chars.some((c) => CJK.test(c))) {
    for (let i = chars.length - 1; i >= 0; i--) if (CJK.test(chars[i]!)) return chars[i]!
  }
  const words = s.split(/[\s._-]+/).filter((w) => /\p{L}/u.test(w))
  if (words.length >= 2) return (words[0]![0]! + words[words.length - 1]![0]!).toUpperCase()
  return (chars.find((c) => /\p{L}|\p{N}/u.test(c)) ?? chars[0]!).toUpperCase()
}
