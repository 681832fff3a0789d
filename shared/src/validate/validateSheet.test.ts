import { describe, expect, it } from 'vitest'
import type {
  CellValue,
  Column,
  ColumnConstraints,
  ColumnFormat,
  ColumnType,
} from '../schema/columnTypes.js'
import { type Problem, validateCell, validateSheet } from './validateSheet.js'

function column(
  id: string,
  name: string,
  type: ColumnType,
  constraints: ColumnConstraints = {},
  format: ColumnFormat = {},
): Column {
  return { id, name, type, constraints, format, width: 140, order: id }
}

const station = column('c1', '站点', 'reference', { required: true }, { refSheet: 'stations' })
const code = column('c2', '站点编号', 'text', { required: true, unique: true })
const served = column('c3', '服务人次', 'integer', { required: true, min: 0, max: 1_000_000 })
const coverage = column('c4', '覆盖率', 'percent', { min: 0.5, max: 1 })
const funding = column('c5', '投入资金', 'money', { max: 1000 }, { unit: '万元' })
const opened = column('c6', '建站日期', 'date', { min: '2019-01-01', max: '2025-12-31' })
const level = column('c7', '预警等级', 'enum', {
  options: [{ value: '红' }, { value: '橙' }, { value: '黄' }, { value: '蓝' }, { value: '绿' }],
})
const model = column('c8', '示范社工站', 'boolean')
const COLUMNS = [station, code, served, coverage, funding, opened, level, model]

const stations = new Set(['s-qx', 's-cg'])
const referenceExists = (sheet: string, id: string) => sheet === 'stations' && stations.has(id)

function goodRow(id: string, n: number): { id: string; cells: Record<string, CellValue> } {
  return {
    id,
    cells: {
      c1: 's-qx',
      c2: `QX-${n}`,
      c3: 1197,
      c4: 0.637,
      c5: 276,
      c6: '2024-05-24',
      c7: '红',
      c8: true,
    },
  }
}

function rules(problems: readonly Pick<Problem, 'rule'>[]): string[] {
  return problems.map((p) => p.rule)
}

describe('validateCell', () => {
  it('accepts good values and empty optional cells', () => {
    const row = goodRow('r1', 1)
    for (const col of COLUMNS) {
      expect(validateCell(row.cells[col.id] ?? null, col, { referenceExists })).toEqual([])
    }
    expect(validateCell(null, coverage)).toEqual([])
    expect(validateCell(undefined, level)).toEqual([])
  })

  it('required: null, absent and blank strings', () => {
    for (const v of [null, undefined, '', '  ']) {
      expect(validateCell(v, served)).toEqual([
        { rule: 'required', message: { zh: '“服务人次”不能为空', en: '"服务人次" is required' } },
      ])
    }
    const peopleServed = column('x', 'People served', 'integer', { required: true })
    expect(validateCell(null, peopleServed)[0]?.message.en).toBe('"People served" is required')
  })

  it('type: a value that does not match the column type', () => {
    expect(validateCell('abc', served)).toEqual([
      {
        rule: 'type',
        message: {
          zh: '“服务人次”应为整数，但存的是“abc”',
          en: '"服务人次" should be a whole number but holds "abc"',
        },
      },
    ])
    expect(rules(validateCell(1.5, served))).toEqual(['type'])
    expect(rules(validateCell(Number.NaN, coverage))).toEqual(['type'])
    expect(rules(validateCell('2024-02-30', opened))).toEqual(['type'])
    expect(rules(validateCell('2024/5/24', opened))).toEqual(['type'])
    expect(rules(validateCell('是', model))).toEqual(['type'])
    expect(rules(validateCell(5, code))).toEqual(['type'])
    expect(rules(validateCell(true, level))).toEqual(['type'])
    expect(rules(validateCell(7, station))).toEqual(['type'])
  })

  it('min and max on numbers, with the bound shown in the column format', () => {
    expect(validateCell(-1, served)).toEqual([
      {
        rule: 'min',
        message: {
          zh: '“服务人次”不能小于 0（现为 -1）',
          en: '"服务人次" must be at least 0 (is -1)',
        },
      },
    ])
    expect(validateCell(2_000_000, served)[0]?.message.zh).toBe(
      '“服务人次”不能大于 1,000,000（现为 2,000,000）',
    )
    expect(validateCell(1000, funding)).toEqual([])
    expect(validateCell(1200, funding)[0]?.message.zh).toBe(
      '“投入资金”不能大于 1,000万元（现为 1,200万元）',
    )
  })

  it('min and max on percent compare fractions but show percents', () => {
    expect(validateCell(0.5, coverage)).toEqual([])
    expect(validateCell(1, coverage)).toEqual([])
    expect(validateCell(0.3, coverage)).toEqual([
      {
        rule: 'min',
        message: {
          zh: '“覆盖率”不能小于 50%（现为 30%）',
          en: '"覆盖率" must be at least 50% (is 30%)',
        },
      },
    ])
    expect(validateCell(1.2, coverage)[0]?.message.en).toBe(
      '"覆盖率" must be at most 100% (is 120%)',
    )
  })

  it('min and max on dates compare ISO strings', () => {
    expect(validateCell('2019-01-01', opened)).toEqual([])
    expect(validateCell('2018-12-31', opened)[0]?.message.zh).toBe(
      '“建站日期”不能小于 2019-01-01（现为 2018-12-31）',
    )
    expect(rules(validateCell('2026-01-01', opened))).toEqual(['max'])
  })

  it('ignores bounds of the wrong kind', () => {
    const odd = column('x', '数', 'number', { min: '2019-01-01', max: 'abc' })
    expect(validateCell(-5, odd)).toEqual([])
  })

  it('enum membership', () => {
    expect(validateCell('紫', level)).toEqual([
      {
        rule: 'enum',
        message: {
          zh: '“预警等级”的值“紫”不在可选项中',
          en: '"预警等级" value "紫" is not one of the options',
        },
      },
    ])
    expect(validateCell('anything', column('x', '类型', 'enum'))).toEqual([])
  })

  it('dangling references, only when a lookup is given', () => {
    expect(validateCell('s-gone', station, { referenceExists })).toEqual([
      {
        rule: 'reference',
        message: {
          zh: '“站点”引用的记录不存在（s-gone）',
          en: '"站点" points at a row that does not exist (s-gone)',
        },
      },
    ])
    expect(validateCell('s-gone', station)).toEqual([])
  })
})

describe('validateSheet', () => {
  it('reports nothing for a clean sheet', () => {
    const rows = [goodRow('r1', 1), goodRow('r2', 2), goodRow('r3', 3)]
    expect(validateSheet({ columns: COLUMNS, rows, referenceExists })).toEqual([])
  })

  it('reports every rule, in row then column order, with row and column ids', () => {
    const bad = goodRow('r2', 2)
    bad.cells = {
      ...bad.cells,
      c1: 's-gone',
      c3: null,
      c4: 0.2,
      c6: '2018-01-01',
      c7: '紫',
      c8: 'yes',
    }
    const rows = [goodRow('r1', 1), bad]
    const problems = validateSheet({ columns: COLUMNS, rows, referenceExists })
    expect(problems.map((p) => [p.rowId, p.colId, p.rule])).toEqual([
      ['r2', 'c1', 'reference'],
      ['r2', 'c3', 'required'],
      ['r2', 'c4', 'min'],
      ['r2', 'c6', 'min'],
      ['r2', 'c7', 'enum'],
      ['r2', 'c8', 'type'],
    ])
  })

  it('unique: every duplicate occurrence is reported, naming the other rows', () => {
    const rows = [goodRow('r1', 1), goodRow('r2', 2), goodRow('r3', 1), goodRow('r4', 1)]
    rows[1]!.cells.c2 = 'ＱＸ-1 ' // same key after width folding and trimming
    const problems = validateSheet({ columns: COLUMNS, rows, referenceExists }).filter(
      (p) => p.rule === 'unique',
    )
    expect(problems.map((p) => p.rowId)).toEqual(['r1', 'r2', 'r3', 'r4'])
    expect(problems[0]).toEqual({
      rowId: 'r1',
      colId: 'c2',
      rule: 'unique',
      message: {
        zh: '“站点编号”的值“QX-1”与第 2、3、4 行重复',
        en: '"站点编号" value "QX-1" duplicates rows 2, 3, 4',
      },
      otherRowIds: ['r2', 'r3', 'r4'],
    })
  })

  it('unique: a pair names one row; empty cells never collide; long lists are cut', () => {
    const pair = [goodRow('a', 1), goodRow('b', 1)]
    expect(validateSheet({ columns: [code], rows: pair })[1]?.message).toEqual({
      zh: '“站点编号”的值“QX-1”与第 1 行重复',
      en: '"站点编号" value "QX-1" duplicates row 1',
    })
    const optional = column('k', '编号', 'integer', { unique: true })
    const empties = [1, 2, 3].map((i) => ({ id: `e${i}`, cells: { k: null } }))
    expect(validateSheet({ columns: [optional], rows: empties })).toEqual([])
    const many = [1, 2, 3, 4, 5, 6].map((i) => ({ id: `m${i}`, cells: { k: 7 } }))
    expect(validateSheet({ columns: [optional], rows: many })[0]?.message.zh).toBe(
      '“编号”的值“7”与第 2、3、4 行等 5 行重复',
    )
  })

  it('handles 100,000 rows × 12 columns quickly', () => {
    const columns: Column[] = [
      ...COLUMNS,
      column('c9', '志愿者', 'integer', { min: 0 }),
      column('c10', '备注', 'text'),
      column('c11', '期间', 'text', { required: true }),
      column('c12', '督导', 'number', { max: 100 }),
    ]
    const rows = Array.from({ length: 100_000 }, (_, i) => {
      const r = goodRow(`r${i}`, i)
      r.cells.c9 = i % 50
      r.cells.c10 = i % 7 === 0 ? '样例数据' : null
      r.cells.c11 = '2024-06'
      r.cells.c12 = i % 1000 === 0 ? 101 : 3
      return r
    })
    const t0 = performance.now()
    const problems = validateSheet({ columns, rows, referenceExists })
    const ms = performance.now() - t0
    expect(problems).toHaveLength(100)
    expect(ms).toBeLessThan(3000)
  })
})
