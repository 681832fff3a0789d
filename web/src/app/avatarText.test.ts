import { describe, expect, it } from 'vitest'
import { avatarText } from './avatarText'

describe('avatarText', () => {
  it('shows a Chinese name’s given name, so 用户甲 and 用户乙 differ', () => {
    expect(avatarText('王敏')).toBe('敏')
    expect(avatarText('用户甲')).toBe('甲')
    expect(avatarText('用户乙')).toBe('乙')
    expect(avatarText('欧阳娜娜')).toBe('娜')
    expect(avatarText(' 李强 ')).toBe('强')
  })
  it('shows trailing digits and Latin initials', () => {
    expect(avatarText('社工42')).toBe('42')
    expect(avatarText('站点3')).toBe('3')
    expect(avatarText('Alice Smith')).toBe('AS')
    expect(avatarText('bob')).toBe('B')
    expect(avatarText('')).toBe('?')
    expect(avatarText('42')).toBe('4')
  })
})
