import type { Problem } from '@taizhang/shared'
import type { GridApi } from 'ag-grid-community'
import { cellKey, parseCellKey } from '../cellKey'
import type { RowData } from '../rowData'
import type { FeatureContext, GridFeature } from './GridFeature'

/** Problems turned into cell outlines per task (`setProblems`). */
const PROBLEM_SLICE = 20_000

export interface ProblemsFeature extends GridFeature {
  setProblems(problems: readonly Problem[], message: (p: Problem) => string): void
}

/**
 * Outlines cells with validation problems (the renderer shows `cells.problems` as a tooltip);
 * problems of level `warning` (outliers, warning-level rules) go to `cells.warnings` instead.
 */
export function makeProblems(): ProblemsFeature {
  let at: { api: GridApi<RowData>; ctx: FeatureContext } | null = null
  let gen = 0
  return {
    name: 'problems',
    install(api, ctx) {
      at = { api, ctx }
      ctx.host.add(() => {
        gen++
        at = null
      })
      return undefined
    },
    setProblems(problems, message) {
      if (!at) return
      const { api, ctx } = at
      // An import can bring 100,000s of problems: the cell map is built PROBLEM_SLICE at a time,
      // one task each, and swapped in whole; a newer list supersedes one still being built.
      const mine = ++gen
      const next = new Map<string, string>()
      const nextWarnings = new Map<string, string>()
      let i = 0
      const step = () => {
        if (mine !== gen) return
        const end = Math.min(problems.length, i + PROBLEM_SLICE)
        for (; i < end; i++) {
          const p = problems[i]!
          const k = cellKey(p.rowId, p.colId)
          const into = p.level === 'warning' ? nextWarnings : next
          const prev = into.get(k)
          into.set(k, prev ? prev + '\n' + message(p) : message(p))
        }
        if (i < problems.length) {
          ctx.host.timeout(step, 0)
          return
        }
        const old = ctx.cells.problems
        const oldWarnings = ctx.cells.warnings
        ctx.cells.problems = next
        ctx.cells.warnings = nextWarnings
        // Many problems: redraw what is shown rather than diff two big maps.
        if (old.size + next.size + oldWarnings.size + nextWarnings.size > 1000) {
          api.refreshCells({ force: true })
          return
        }
        const changed: [string, string][] = []
        const keys = [...old.keys(), ...next.keys(), ...oldWarnings.keys(), ...nextWarnings.keys()]
        for (const k of new Set(keys)) {
          if (old.get(k) !== next.get(k) || oldWarnings.get(k) !== nextWarnings.get(k)) {
            const cell = parseCellKey(k)
            if (cell) changed.push([cell.rowId, cell.colId])
          }
        }
        if (changed.length > 500) api.refreshCells({ force: true })
        else ctx.refreshCells(changed)
      }
      step()
    },
  }
}
