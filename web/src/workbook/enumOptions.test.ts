import { describe, expect, it } from 'vitest'
import { checkOptions } from './enumOptions'

describe('checkOptions', () => {
  it('accepts distinct non-empty values and refuses empty or duplicate ones in zh-CN', () => {
    expect(checkOptions([{ value: '综合社工站' }, { value: '专项社工站', color: '#7c3aed' }])).toBe(
      null,
    )
    expect(checkOptions([{ value: '  ' }])).toBe('选项不能为空，未保存。')
    expect(checkOptions([{ value: '试点站' }, { value: ' 试点站 ' }])).toBe(
      '选项“试点站”重复了，未保存。',
    )
  })
})
