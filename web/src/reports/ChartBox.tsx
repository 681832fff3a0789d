import type { ChartKind } from '@taizhang/shared'
import { createEffect, onCleanup, onMount } from 'solid-js'
import { locale } from '../i18n'
import { type ChartData, chartOption } from './chartOption'

type ECharts = {
  setOption(o: unknown, notMerge?: boolean): void
  dispose(): void
  getDataURL(o: unknown): string
  resize(): void
}

// ECharts is loaded on first use, with only the charts and components used (bar, line, pie; title,
// tooltip, legend, grid; canvas): the workbook page does not pay for it until a chart is shown.
let loading: Promise<(el: HTMLElement, lang: 'ZH' | 'EN') => ECharts> | null = null
function loadECharts() {
  loading ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ])
    core.use([
      charts.BarChart,
      charts.LineChart,
      charts.PieChart,
      components.TitleComponent,
      components.TooltipComponent,
      components.LegendComponent,
      components.GridComponent,
      renderers.CanvasRenderer,
    ])
    return (el: HTMLElement, lang: 'ZH' | 'EN') =>
      core.init(el, undefined, { locale: lang, renderer: 'canvas' }) as unknown as ECharts
  })()
  return loading
}

/** One live chart: redrawn whenever `data` changes. `onReady` gets a PNG exporter. */
export function ChartBox(props: {
  kind: ChartKind
  data: ChartData
  onReady?: (png: () => string) => void
  testId?: string
}) {
  let el: HTMLDivElement | undefined
  let chart: ECharts | null = null
  let disposed = false
  onMount(() => {
    void loadECharts().then((init) => {
      if (disposed || !el) return
      chart = init(el, locale() === 'en' ? 'EN' : 'ZH')
      chart.setOption(chartOption(props.kind, props.data), true)
      el.dataset.ready = '1'
      props.onReady?.(
        () => chart?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? '',
      )
    })
  })
  createEffect(() => {
    const option = chartOption(props.kind, props.data)
    if (chart) {
      chart.setOption(option, true)
      if (el) el.dataset.version = String(Number(el.dataset.version ?? 0) + 1)
    }
  })
  onCleanup(() => {
    disposed = true
    chart?.dispose()
  })
  return <div class="chart-box" ref={el} data-testid={props.testId ?? 'chart'} />
}
