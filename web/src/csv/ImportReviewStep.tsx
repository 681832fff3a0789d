import { type ImportPlan, planCounts, previewPlan } from '@taizhang/shared'
import { type Accessor, For, Show } from 'solid-js'
import type { ImportDialogProps, ImportFlow } from './importFlow'
import { tx, typeLabel } from './text'

/** The import dialog's review step: misfits and their choice, counts, old → new, apply. */
export function ImportReviewStep(
  props: ImportDialogProps & { flow: ImportFlow; p: Accessor<ImportPlan> },
) {
  const { setStep, onMisfit, setOnMisfit, fail, plan, apply, cellText } = props.flow
  const p = props.p
  const counts = () => planCounts(p())
  const rows = () => previewPlan(p())
  return (
    <div data-testid="csv-review">
      <Show when={p().misfits.length > 0}>
        <div class="banner warn" data-testid="csv-misfits">
          <strong>{tx('misfits')}</strong>
          <For each={p().misfits}>
            {(m) => (
              <div>
                {tx('misfitLine', {
                  column: m.column,
                  type: typeLabel(m.type),
                  count: m.count,
                  examples: m.examples
                    .map((e) => `${tx('line', { n: e.line })} “${e.input}”`)
                    .join(', '),
                })}
              </div>
            )}
          </For>
          <div>
            {tx('misfitChoice')}{' '}
            <For
              each={
                [
                  { choice: 'text', testId: 'csv-misfit-text', label: tx('asText') },
                  {
                    choice: 'skip-rows',
                    testId: 'csv-misfit-skip',
                    label: tx('skipRows'),
                  },
                ] as const
              }
            >
              {(o) => (
                <label>
                  <input
                    type="radio"
                    name="misfit"
                    data-testid={o.testId}
                    checked={onMisfit() === o.choice}
                    onChange={() => {
                      setOnMisfit(o.choice)
                      plan().catch(fail)
                    }}
                  />{' '}
                  {o.label}{' '}
                </label>
              )}
            </For>
          </div>
        </div>
      </Show>
      <p data-testid="csv-summary">{tx('summary', counts())}</p>
      <Show when={p().noData.count > 0}>
        <p data-testid="import-no-data">{tx('noData', { n: p().noData.count })}</p>
      </Show>
      <Show when={p().approximate.count > 0}>
        <p>{tx('approximate', { n: p().approximate.count })}</p>
      </Show>
      <For each={p().skipped}>
        {(s) => (
          <p>
            {tx('skippedWhy', {
              n: s.count,
              why: tx(s.reason),
              lines: s.lines.join(', '),
            })}
          </p>
        )}
      </For>
      <h4>{tx('changes')}</h4>
      <table class="csv-preview-table" data-testid="csv-preview">
        <thead>
          <tr>
            <th />
            <For each={p().targets}>{(t) => <th>{t.name}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(r) => (
              <tr>
                <td>
                  <small>
                    {tx('line', { n: r.line })} · {r.kind === 'add' ? tx('added') : tx('updated')}
                  </small>
                </td>
                <For each={p().targets}>
                  {(t, i) => {
                    if (r.kind === 'add')
                      return <td>{cellText(r.values[i()] ?? null, t.column)}</td>
                    const c = r.changes.find((x) => x.target === i())
                    return (
                      <td>
                        <Show
                          when={c}
                          fallback={
                            <span style={{ color: '#888' }}>
                              {cellText(r.values[i()] ?? null, t.column)}
                            </span>
                          }
                        >
                          {(ch) => (
                            <>
                              <s>{cellText(ch().old, t.column)}</s> →{' '}
                              <b>{cellText(ch().new, t.column)}</b>
                            </>
                          )}
                        </Show>
                      </td>
                    )
                  }}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="modal-actions">
        <button type="button" class="btn" onClick={() => setStep({ kind: 'mapping' })}>
          {tx('back')}
        </button>
        <button type="button" class="btn" onClick={props.onClose}>
          {tx('cancel')}
        </button>
        <button
          type="button"
          class="btn primary"
          data-testid="csv-apply"
          disabled={p().needsDecision || props.session.readOnly()}
          onClick={() => void apply(p()).catch(fail)}
        >
          {tx('doImport')}
        </button>
      </div>
    </div>
  )
}
