import { describeRefusal } from '@taizhang/shared'
import { Show } from 'solid-js'
import { xt } from '../xlsx/text'
import { ImportMappingStep } from './ImportMappingStep'
import { ImportReviewStep } from './ImportReviewStep'
import { createImportFlow, type ImportDialogProps } from './importFlow'
import { csvLang, tx } from './text'

const MB = 1024 * 1024

/**
 * The import dialog (rules CSV1–CSV7): reads the file in a worker with progress and cancel, shows the
 * detected encoding/delimiter/header with overrides, the column mapping, a preview, misfits with a
 * choice, the upsert key, old → new changes, and applies the plan as one undoable transaction.
 */
export function ImportDialog(props: ImportDialogProps) {
  const flow = createImportFlow(props)
  const { importer, step, setStep, stepOf, summary, createColumns } = flow
  return (
    <div class="modal-backdrop" data-testid="csv-import-dialog">
      <div
        class="modal csv-modal"
        style={{ width: 'min(960px, 96vw)', 'max-height': '92vh', overflow: 'auto' }}
      >
        <h3>
          {tx('import')} · {props.file.name}
        </h3>

        <Show when={step().kind === 'reading' || step().kind === 'planning'}>
          <div data-testid="csv-progress">
            <Show when={step().kind === 'reading'} fallback={<p>{tx('planning')}</p>}>
              <p>{tx('reading', { name: props.file.name })}</p>
              {(() => {
                const s = step()
                const p = s.kind === 'reading' ? s.progress : null
                return (
                  <>
                    <progress
                      max={props.file.size || 1}
                      value={p?.bytesRead ?? 0}
                      style={{ width: '100%' }}
                    />
                    <p>
                      {tx('progress', {
                        mb: ((p?.bytesRead ?? 0) / MB).toFixed(1),
                        total: (props.file.size / MB).toFixed(1),
                        rows: p?.rows ?? 0,
                      })}
                    </p>
                  </>
                )
              })()}
            </Show>
            <div class="modal-actions">
              <button
                type="button"
                class="btn"
                data-testid="csv-cancel"
                onClick={() => {
                  importer.cancel()
                  if (step().kind === 'reading') props.onClose()
                  else setStep({ kind: 'mapping' })
                }}
              >
                {tx('cancel')}
              </button>
            </div>
          </div>
        </Show>

        <Show when={stepOf('refused')}>
          {(s) => (
            <div data-testid="csv-refused">
              <p class="banner warn" role="alert">
                {describeRefusal(s().refusal, csvLang())}
              </p>
              <div class="modal-actions">
                <Show
                  when={(() => {
                    const r = s().refusal
                    return r.kind === 'header-only' ? r.header : null
                  })()}
                >
                  {(h) => (
                    <button
                      type="button"
                      class="btn primary"
                      disabled={props.session.readOnly()}
                      onClick={() => createColumns(h())}
                    >
                      {tx('createColumns')}
                    </button>
                  )}
                </Show>
                <Show when={summary() && s().refusal.kind !== 'header-only'}>
                  <button type="button" class="btn" onClick={() => setStep({ kind: 'mapping' })}>
                    {tx('back')}
                  </button>
                </Show>
                <button type="button" class="btn" onClick={props.onClose}>
                  {tx('close')}
                </button>
              </div>
            </div>
          )}
        </Show>

        <Show when={step().kind === 'mapping' && summary()}>
          {(sum) => <ImportMappingStep {...props} flow={flow} sum={sum} />}
        </Show>

        <Show when={stepOf('review')?.plan}>
          {(p) => <ImportReviewStep {...props} flow={flow} p={p} />}
        </Show>

        <Show when={stepOf('writing')}>
          {(s) => (
            <div data-testid="csv-writing">
              <p>{tx('writing', { written: s().written, total: s().total })}</p>
              <progress max={s().total || 1} value={s().written} style={{ width: '100%' }} />
            </div>
          )}
        </Show>

        <Show when={stepOf('done')}>
          {(s) => (
            <div data-testid="csv-done">
              <p>
                {s().message ??
                  (s().report ? tx('done', s().report as unknown as Record<string, number>) : '')}
              </p>
              <Show when={s().more}>
                {(more) => (
                  <p data-testid="xlsx-more-done">{xt('moreDone', { list: more().join('；') })}</p>
                )}
              </Show>
              <div class="modal-actions">
                <button
                  type="button"
                  class="btn primary"
                  data-testid="csv-close"
                  onClick={props.onClose}
                >
                  {tx('close')}
                </button>
              </div>
            </div>
          )}
        </Show>
      </div>
    </div>
  )
}
