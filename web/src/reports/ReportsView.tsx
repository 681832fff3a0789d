import { createSignal, Match, Switch } from 'solid-js'
import type { WorkbookSession } from '../doc/openWorkbook'
import { t } from '../i18n'
import { ChartsTab } from './ChartsTab'
import { CompletenessTab } from './CompletenessTab'
import { createLedger } from './createLedger'
import { ExprTab } from './ExprTab'
import { ReportPage } from './ReportPage'
import { SummariesTab } from './SummariesTab'
import './reports.css'

type Tab = 'summaries' | 'charts' | 'completeness' | 'expr' | 'report'

/** The reports overlay: one tab per view, all computed on this device from the live doc. */
export function ReportsView(props: {
  session: WorkbookSession
  selectSheet: (id: string) => void
  onClose: () => void
}) {
  const ledger = createLedger(props.session.workbook)
  const [tab, setTab] = createSignal<Tab>('summaries')
  const readOnly = () => props.session.readOnly()
  const tabs: [Tab, Parameters<typeof t>[0]][] = [
    ['summaries', 'rep.tab.summaries'],
    ['charts', 'rep.tab.charts'],
    ['completeness', 'rep.tab.completeness'],
    ['expr', 'rep.tab.expr'],
    ['report', 'rep.tab.report'],
  ]
  return (
    <div class="reports" data-testid="reports" role="dialog" aria-label={t('rep.title')}>
      <div class="reports-head no-print">
        <strong>{t('rep.title')}</strong>
        <nav class="reports-tabs">
          {tabs.map(([id, label]) => (
            <button
              type="button"
              classList={{ active: tab() === id }}
              data-testid={`reports-tab-${id}`}
              onClick={() => setTab(id)}
            >
              {t(label)}
            </button>
          ))}
        </nav>
        <button
          type="button"
          class="reports-close"
          data-testid="reports-close"
          onClick={props.onClose}
        >
          {t('rep.close')}
        </button>
      </div>
      <div class="reports-body">
        <Switch>
          <Match when={tab() === 'summaries'}>
            <SummariesTab ledger={ledger} readOnly={readOnly()} selectSheet={props.selectSheet} />
          </Match>
          <Match when={tab() === 'charts'}>
            <ChartsTab ledger={ledger} readOnly={readOnly()} />
          </Match>
          <Match when={tab() === 'completeness'}>
            <CompletenessTab
              ledger={ledger}
              readOnly={readOnly()}
              selectSheet={props.selectSheet}
            />
          </Match>
          <Match when={tab() === 'expr'}>
            <ExprTab ledger={ledger} readOnly={readOnly()} />
          </Match>
          <Match when={tab() === 'report'}>
            <ReportPage ledger={ledger} readOnly={readOnly()} />
          </Match>
        </Switch>
      </div>
    </div>
  )
}
