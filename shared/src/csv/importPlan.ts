import type { CellValue } from '../schema/columnTypes.js'
import {
  type LocalizedMessage,
  normalizeText,
  type ParseOptions,
  parseValue,
  parseValueQuick,
} from '../schema/values.js'
import { type CsvCodes, newCodes } from './csvColumn.js'
import { restoreFormula } from './formula.js'
import type {
  AddedColumn,
  AddedRows,
  CellChange,
  ImportOptions,
  ImportPlan,
  ImportPlanResult,
  Misfit,
  RowUpdate,
  SheetSnapshot,
  SkipReason,
} from './importPlanTypes.js'
import { resolveTargets } from './importTargets.js'
import { CSV_ISSUE_EXAMPLES } from './limits.js'
import type { ColumnMapping } from './mapping.js'
import { isNoDataMarker, keepsNoDataMarkers } from './noData.js'
import type { CsvTable } from './parseCsv.js'

export * from './importPlanTypes.js'
export * from './planRead.js'

/** Distinct inputs remembered per column while planning (a column without a dictionary). */
const PARSE_CACHE_SIZE = 4096
/** What converting a cell gave (see `planImport`). */
const OK = 1
const APPROX = 2
const MISFIT = 3
const NO_DATA = 4

function keyPart(v: CellValue | undefined): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return 's' + normalizeText(v).toLowerCase()
  return (typeof v === 'number' ? 'n' : 'b') + String(v)
}

/**
 * Turns a parsed table and a mapping into a plan against `sheet` (undefined: a sheet that doesn't exist
 * yet). Every value is parsed with `parseValue`, misfits are counted with examples, and upsert keys are
 * matched against the sheet's rows, so the dialog can show old → new before anything is written.
 */
export function planImport(
  table: CsvTable,
  mapping: readonly ColumnMapping[],
  sheet: SheetSnapshot | undefined,
  options: ImportOptions,
): ImportPlanResult {
  const resolved = resolveTargets(table, mapping, sheet, options)
  if (!resolved.ok)
    return { ok: false, refusal: { kind: 'bad-mapping', zh: resolved.zh, en: resolved.en } }
  const { targets, keyTargets } = resolved

  // Parse every cell once.
  const onMisfit = options.onMisfit ?? 'ask'
  const misfitCount = targets.map(() => 0)
  const misfitExamples: Misfit['examples'][] = targets.map(() => [])
  const approximate: ImportPlan['approximate'] = { count: 0, examples: [] }
  const noData: ImportPlan['noData'] = { count: 0, examples: [] }
  const parseOpts: ParseOptions[] = targets.map((t) => {
    const o: ParseOptions = {}
    if (options.percentStyle) o.percentStyle = options.percentStyle
    const resolve = options.resolveReference
    if (t.type === 'reference' && t.colId && resolve) {
      const colId = t.colId
      o.resolveReference = (text) => resolve(colId, text)
    }
    return o
  })
  // Most cells take parseValueQuick (plain numbers, ISO and Chinese dates, 是/否, text). The rest are
  // memoised per column, since ledger columns repeat a few values (1.2万余, options, references) thousands
  // of times, up to PARSE_CACHE_SIZE distinct inputs (then parsed directly).
  const caches = targets.map(() => new Map<string, ReturnType<typeof parseValue>>())
  const parse = (i: number, raw: string) => {
    const cache = caches[i]!
    let res = cache.get(raw)
    if (res === undefined) {
      res = parseValue(raw, targets[i]!.column, parseOpts[i])
      if (cache.size < PARSE_CACHE_SIZE) cache.set(raw, res)
    }
    return res
  }

  const skipped = new Map<SkipReason, { reason: SkipReason; count: number; lines: number[] }>()
  const skip = (reason: SkipReason, line: number) => {
    let s = skipped.get(reason)
    if (!s) {
      s = { reason, count: 0, lines: [] }
      skipped.set(reason, s)
    }
    s.count++
    if (s.lines.length < CSV_ISSUE_EXAMPLES) s.lines.push(line)
  }

  const updates: RowUpdate[] = []
  let unchanged = 0
  const rowKey = (get: (ti: number) => CellValue | undefined): string | undefined => {
    // Every part of the key must be filled: a half key (a name without its period) matches nothing.
    let k = ''
    for (const ti of keyTargets) {
      const p = keyPart(get(ti))
      if (p === '') return undefined
      k += p + '\u0000'
    }
    return k
  }

  let index: Map<string, { id: string; cells: Record<string, CellValue> }> | undefined
  if (options.mode === 'upsert' && sheet) {
    index = new Map()
    for (const row of sheet.readRows()) {
      const k = rowKey((ti) => {
        const colId = targets[ti]!.colId
        return colId ? row.cells[colId] : undefined
      })
      if (k !== undefined && !index.has(k)) index.set(k, row)
    }
  }
  const seenKeys = new Set<string>()
  const nT = targets.length
  const columns = targets.map((t) => t.column)
  const textTarget = targets.map((t) => t.type === 'text')
  const markerTarget = targets.map((t) => keepsNoDataMarkers(t.type))
  // One cell's conversion, into `cv` (the value), `craw` (what the file said, restored) and
  // `cmsg`; returns OK, APPROX or MISFIT.
  let cv: CellValue = null
  let craw = ''
  let cmsg: LocalizedMessage | undefined
  const convert = (i: number, cell: string): number => {
    let raw = cell
    let quick: CellValue | undefined
    if (markerTarget[i]) {
      // Checked before parsing, which reads these markers as empty: kept as the file wrote them.
      const marker = isNoDataMarker(cell) ? cell : restoreFormula(cell)
      if (isNoDataMarker(marker)) {
        cv = marker.trim()
        craw = cv
        return NO_DATA
      }
    }
    if (textTarget[i]) {
      raw = restoreFormula(cell)
      quick = parseValueQuick(raw, columns[i]!, parseOpts[i])
    } else {
      // The quick path of a non-text column accepts no `'`: what it takes needs no restoring.
      quick = parseValueQuick(cell, columns[i]!, parseOpts[i])
      if (quick === undefined) {
        raw = restoreFormula(cell)
        if (raw !== cell) quick = parseValueQuick(raw, columns[i]!, parseOpts[i])
      }
    }
    if (quick !== undefined) {
      cv = quick
      return OK
    }
    craw = raw
    const res = parse(i, raw)
    if (res.ok) {
      cv = res.value
      return res.approximate ? APPROX : OK
    }
    cmsg = res.error.message
    // "Import as text" keeps exactly what the file said (minus surrounding spaces).
    cv = raw.trim()
    return MISFIT
  }
  // A dictionary column is converted once per distinct value (memoised by its code).
  const cols = targets.map((t) => table.data[t.source]!)
  const dicts = cols.map((c) => c.dictionary())
  const memo = dicts.map((d) =>
    d
      ? {
          state: new Uint8Array(d.values.length),
          value: new Array<CellValue>(d.values.length),
          raw: new Array<string>(d.values.length),
          msg: new Array<LocalizedMessage | undefined>(d.values.length),
        }
      : undefined,
  )
  // The added rows, column by column: a dictionary column's codes are the table's own while every
  // row so far was added (append, nothing skipped: no copy at all), else copied into the narrowest
  // array that holds them; numbers go in a Float64Array until a column meets a non-number, else
  // one value per row.
  const cap = table.rowCount
  let count = 0
  let sameRows = true
  const lines = new Uint32Array(cap)
  const addCodes: (CsvCodes | undefined)[] = dicts.map(() => undefined)
  const addNums = dicts.map((d, i) => (d || textTarget[i] ? undefined : new Float64Array(cap))) as (
    | Float64Array
    | undefined
  )[]
  const addVals = dicts.map((d, i) => (d || !textTarget[i] ? undefined : new Array<CellValue>(cap)))
  const rowCodes = new Uint32Array(nT)
  const values: CellValue[] = new Array(nT)
  const addRow = (line: number, r: number) => {
    if (sameRows && count !== r) {
      // A row was left out: from here on the dictionary columns keep codes of their own.
      sameRows = false
      dicts.forEach((d, i) => {
        if (!d) return
        const own = newCodes(d.values.length, cap)
        own.set(d.codes.subarray(0, count))
        addCodes[i] = own
      })
    }
    for (let i = 0; i < nT; i++) {
      if (dicts[i]) {
        if (!sameRows) addCodes[i]![count] = rowCodes[i]!
        continue
      }
      const v = values[i]!
      const nums = addNums[i]
      if (nums) {
        if (v === null) {
          nums[count] = Number.NaN
          continue
        }
        if (typeof v === 'number') {
          nums[count] = v
          continue
        }
        // A non-number (a misfit kept as text): one value per row from here on.
        const vals = new Array<CellValue>(cap)
        for (let k = 0; k < count; k++) {
          const x = nums[k]!
          vals[k] = Number.isNaN(x) ? null : x
        }
        addNums[i] = undefined
        addVals[i] = vals
      }
      addVals[i]![count] = v
    }
    lines[count++] = line
  }
  // Convert every cell once, then place the row (a row's placement only depends on the rows before it).
  for (let r = 0; r < table.rowCount; r++) {
    const line = table.lines[r] ?? r + 2
    let misfit = false
    for (let i = 0; i < nT; i++) {
      let state: number
      const m = memo[i]
      if (m) {
        const code = dicts[i]!.codes[r]!
        rowCodes[i] = code
        state = m.state[code]!
        if (state === 0) {
          state = convert(i, dicts[i]!.values[code]!)
          m.state[code] = state
          m.value[code] = cv
          if (state !== OK) {
            m.raw[code] = craw
            m.msg[code] = cmsg
          }
        }
        values[i] = m.value[code]!
        if (state === OK) continue
        craw = m.raw[code]!
        cmsg = m.msg[code]
      } else {
        state = convert(i, cols[i]!.get(r))
        values[i] = cv
        if (state === OK) continue
      }
      if (state === NO_DATA) {
        noData.count++
        if (noData.examples.length < CSV_ISSUE_EXAMPLES)
          noData.examples.push({ line, column: targets[i]!.name, input: craw })
      } else if (state === APPROX) {
        approximate.count++
        if (approximate.examples.length < CSV_ISSUE_EXAMPLES)
          approximate.examples.push({ line, input: craw })
      } else {
        misfit = true
        misfitCount[i]!++
        const ex = misfitExamples[i]!
        if (ex.length < CSV_ISSUE_EXAMPLES) ex.push({ line, input: craw, message: cmsg! })
      }
    }

    if (misfit && onMisfit === 'skip-rows') {
      skip('misfit', line)
      continue
    }
    if (options.mode === 'append') {
      addRow(line, r)
      continue
    }
    const k = rowKey((ti) => values[ti])
    if (k === undefined) {
      skip('empty-key', line)
      continue
    }
    if (seenKeys.has(k)) {
      skip('duplicate-key', line)
      continue
    }
    seenKeys.add(k)
    const match = index?.get(k)
    if (!match) {
      addRow(line, r)
      continue
    }
    const changes: CellChange[] = []
    for (let i = 0; i < nT; i++) {
      const next = values[i] ?? null
      const colId = targets[i]!.colId
      const old = colId ? (match.cells[colId] ?? null) : null
      if (next === null && !options.emptyClears) continue
      if (old === next) continue
      changes.push({ target: i, old, new: next })
    }
    if (changes.length === 0) unchanged++
    else updates.push({ rowId: match.id, line, changes, values: values.slice() })
  }

  const addColumns: AddedColumn[] = targets.map((_, i) => {
    const d = dicts[i]
    if (d) {
      const codes = sameRows ? d.codes : addCodes[i]!
      return { kind: 'dict', values: memo[i]!.value, codes: codes.subarray(0, count) }
    }
    const nums = addNums[i]
    if (nums) return { kind: 'numbers', values: nums.subarray(0, count) }
    const vals = addVals[i]!
    vals.length = count
    return { kind: 'values', values: vals }
  })
  const adds: AddedRows = { count, lines: lines.subarray(0, count), columns: addColumns }

  const misfits: Misfit[] = []
  targets.forEach((t, i) => {
    if (misfitCount[i]! > 0)
      misfits.push({
        source: t.source,
        header: t.header,
        column: t.name,
        type: t.type,
        count: misfitCount[i]!,
        examples: misfitExamples[i]!,
      })
  })

  return {
    ok: true,
    plan: {
      mode: options.mode,
      targets,
      adds,
      updates,
      unchanged,
      skipped: [...skipped.values()],
      misfits,
      approximate,
      noData,
      needsDecision: misfits.length > 0 && onMisfit === 'ask',
      warnings: table.warnings,
    },
  }
}
