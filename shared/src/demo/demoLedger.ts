/**
 * The demo's ledger definitions (issue 14): a computed column, a rule, summaries, a cross-tab,
 * charts, completeness settings and a report page, all over the demo's 站点 and 指标 sheets. Only
 * definitions are written (model/definitions.ts); every figure is computed on the device.
 */

import { saveCompletenessSettings } from '../completeness/completeness.js'
import { saveComputedColumn, saveRule } from '../expr/computed.js'
import { createWorkbookScopes } from '../expr/workbookScope.js'
import { writeDefinition } from '../model/definitions.js'
import { DEMO } from '../model/origins.js'
import type { Workbook } from '../model/workbook.js'
import type { StoredSummary } from '../summary/store.js'

/** Fixed ids, so the report page can name its summaries and charts. */
export const DEMO_LEDGER_IDS = {
  byDistrict: 'demo-district',
  crossTab: 'demo-crosstab',
  stations: 'demo-stations',
  chartStacked: 'demo-chart-stacked',
  chartPie: 'demo-chart-pie',
} as const

export function addDemoLedger(
  wb: Workbook,
  ids: { stations: string; metrics: string },
  cols: {
    stationDistrict: string
    activities: string
    served: string
    volunteers: string
    station: string
    period: string
  },
  range: { from: string; to: string },
): void {
  const scopes = createWorkbookScopes(wb)
  try {
    const scope = scopes.scope(ids.metrics)
    if (!scope) return
    saveComputedColumn(
      wb,
      scope,
      {
        sheetId: ids.metrics,
        name: '人均服务人次',
        expr: 'ROUND(服务人次 / 站点.持证社工, 1)',
        decimals: 1,
      },
      `${ids.metrics}:per-worker`,
    )
    saveRule(
      wb,
      scope,
      {
        sheetId: ids.metrics,
        expr: '服务人次 >= 服务活动（次）',
        level: 'error',
        message: '服务人次应不少于服务活动次数',
      },
      `${ids.metrics}:served-vs-activities`,
    )
    const summaries: [string, StoredSummary][] = [
      [
        DEMO_LEDGER_IDS.byDistrict,
        {
          type: 'table',
          title: '各区县各月服务情况',
          sheetId: ids.metrics,
          groupBy: ['站点.区县', '期间'],
          measures: [
            { kind: 'sum', expr: '服务活动（次）' },
            { kind: 'sum', expr: '服务人次' },
            { kind: 'sum', expr: '投入资金（万元）', unit: '万元' },
            { kind: 'distinct', expr: '站点' },
          ],
        },
      ],
      [
        DEMO_LEDGER_IDS.crossTab,
        {
          type: 'crossTab',
          title: '服务人次：区县 × 月份',
          sheetId: ids.metrics,
          rows: '站点.区县',
          columns: '期间',
          measure: { kind: 'sum', expr: '服务人次' },
        },
      ],
      [
        DEMO_LEDGER_IDS.stations,
        {
          type: 'table',
          title: '各区县社工站',
          sheetId: ids.stations,
          groupBy: ['区县'],
          measures: [
            { kind: 'count' },
            { kind: 'sum', expr: '持证社工' },
            { kind: 'share', where: '示范社工站' },
          ],
        },
      ],
    ]
    for (const [id, def] of summaries) writeDefinition(wb, 'summary', id, def, DEMO)
    writeDefinition(
      wb,
      'chart',
      DEMO_LEDGER_IDS.chartStacked,
      { title: '各区县每月服务人次', summaryId: DEMO_LEDGER_IDS.crossTab, kind: 'stacked' },
      DEMO,
    )
    writeDefinition(
      wb,
      'chart',
      DEMO_LEDGER_IDS.chartPie,
      { title: '社工站分布', summaryId: DEMO_LEDGER_IDS.stations, kind: 'pie' },
      DEMO,
    )
    saveCompletenessSettings(wb, {
      sheetId: ids.metrics,
      stationColumn: cols.station,
      periodColumn: cols.period,
      granularity: 'month',
      required: [cols.activities, cols.served, cols.volunteers],
      from: range.from,
      to: range.to,
      districtColumn: cols.stationDistrict,
    })
    writeDefinition(
      wb,
      'report',
      'main',
      {
        title: '社工站建设与服务情况汇报（示例数据）',
        items: [
          {
            type: 'figure',
            label: '建成社工站',
            summaryId: DEMO_LEDGER_IDS.stations,
            measure: 0,
            unit: '家',
            style: 'plain',
          },
          {
            type: 'figure',
            label: '开展服务活动',
            summaryId: DEMO_LEDGER_IDS.byDistrict,
            measure: 0,
            unit: '次',
            style: 'wan',
          },
          {
            type: 'figure',
            label: '服务人次',
            summaryId: DEMO_LEDGER_IDS.byDistrict,
            measure: 1,
            unit: '人次',
            style: 'wan',
          },
          {
            // A key figure as an expression over two summaries' grand totals (figures.ts).
            type: 'figure',
            label: '站均服务人次',
            expr: 'ROUND(各区县各月服务情况.服务人次 / 各区县社工站.行数计数, 0)',
            unit: '人次',
            style: 'plain',
          },
          { type: 'chart', chartId: DEMO_LEDGER_IDS.chartStacked },
          { type: 'chart', chartId: DEMO_LEDGER_IDS.chartPie },
        ],
      },
      DEMO,
    )
  } finally {
    scopes.dispose()
  }
}
