import {
  compareDefinitions,
  compareWorkbooks,
  copyVersionInto,
  rollbackTo,
  Workbook,
  type WorkbookDiff,
} from '@taizhang/shared'
import { createResource, createSignal, For, Show } from 'solid-js'
import { accessSessionOf } from '../access/ui/createAccessSession'
import { randomId } from '../app/identity'
import { navigate } from '../app/route'
import { setPendingCreate } from '../home/pendingCreate'
import { formatTime } from '../i18n'
import { dialogKeys } from '../workbook/dialogKeys'
import type { WorkbookStore } from '../workbook/session/createWorkbookStore'
import {
  listVersions,
  loadVersionDoc,
  saveVersion,
  type VersionApiOptions,
  VersionError,
  type VersionInfo,
} from './api'
import { type DiffItem, definitionItems, diffItems } from './diffItems'
import { runRollbackUndoable } from './rollbackUndo'
import { vt } from './text'
import { VersionViewer } from './VersionViewer'

const KIND_KEY = {
  auto: 'kindAuto',
  import: 'kindImport',
  manual: 'kindManual',
  rollback: 'kindRollback',
} as const

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

const versionName = (v: VersionInfo) => v.name || vt(KIND_KEY[v.kind] ?? 'unnamed')

/**
 * 版本 (issue 13 §3): the server's versions of this workbook (name, kind, time, author, size);
 * 打开 (a read-only grid) for everyone; for editors 保存版本 with a name, 与当前比较 (a list of
 * what differs, each line jumping to the live cell), 复制为新工作簿 and 回滚到此版本. Viewers list and
 * open only (issue 13 §3).
 */
export function VersionsPanel(props: { store: WorkbookStore; token: string | null }) {
  const store = props.store
  const wb = store.session.workbook
  const api = (): VersionApiOptions => ({ workbookId: store.session.id, token: props.token })
  const [list, { refetch }] = createResource(() => listVersions(api()))
  const [name, setName] = createSignal('')
  const [busy, setBusy] = createSignal<string | null>(null)
  const [error, setError] = createSignal<{ zh: string; en: string } | null>(null)
  const [viewing, setViewing] = createSignal<{ wb: Workbook; name: string } | null>(null)
  const [diff, setDiff] = createSignal<{
    v: VersionInfo
    diff: WorkbookDiff
    items: DiffItem[]
    /** Every difference: the data's and the report definitions'. */
    count: number
  } | null>(null)
  const [confirming, setConfirming] = createSignal<VersionInfo | null>(null)
  // Versions never change once stored: each is fetched once per open panel.
  const docs = new Map<string, Promise<Workbook>>()
  const versionWorkbook = (v: VersionInfo): Promise<Workbook> => {
    let p = docs.get(v.id)
    if (!p) {
      p = loadVersionDoc(api(), v.id).then((doc) => Workbook.open(doc).workbook)
      p.catch(() => docs.delete(v.id))
      docs.set(v.id, p)
    }
    return p
  }
  const run = async (label: string, fn: () => Promise<void>) => {
    setBusy(label)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(
        e instanceof VersionError ? { zh: e.zh, en: e.en } : { zh: String(e), en: String(e) },
      )
    } finally {
      setBusy(null)
    }
  }
  // A resource read in its error state throws: the list is empty then, and the error is shown.
  const versions = (): VersionInfo[] => (list.state === 'errored' ? [] : (list() ?? []))
  const listError = () => {
    const e = list.error as unknown
    return e instanceof VersionError
      ? { zh: e.zh, en: e.en }
      : e
        ? { zh: String(e), en: String(e) }
        : null
  }

  const save = (e: Event) => {
    e.preventDefault()
    const n = name().trim()
    void run('save', async () => {
      const v = await saveVersion(api(), { kind: 'manual', ...(n ? { name: n } : {}) })
      setName('')
      store.showToast(vt('saved', { name: versionName(v) }))
      await refetch()
    })
  }
  const open = (v: VersionInfo) =>
    void run(`open:${v.id}`, async () => {
      setViewing({ wb: await versionWorkbook(v), name: versionName(v) })
    })
  const compare = (v: VersionInfo) =>
    void run(`compare:${v.id}`, async () => {
      const vw = await versionWorkbook(v)
      const d = compareWorkbooks(vw, wb)
      // Report definitions roll back with the data, so the compare view lists them too (first).
      const defs = definitionItems(compareDefinitions(vw, wb))
      const items = [...defs, ...diffItems(d, vw, wb)]
      setDiff({ v, diff: d, items, count: d.count + defs.length })
    })
  const copy = (v: VersionInfo) =>
    void run(`copy:${v.id}`, async () => {
      const vw = await versionWorkbook(v)
      const id = randomId(16)
      const title = vt('copyTitle', {
        title: vw.meta().title || wb.meta().title,
        version: versionName(v),
      })
      setPendingCreate(id, {
        title,
        fill: (fresh) => copyVersionInto(vw, fresh, title),
      })
      navigate({ page: 'workbook', id })
    })
  const rollback = (v: VersionInfo) =>
    void run(`rollback:${v.id}`, async () => {
      setConfirming(null)
      const vw = await versionWorkbook(v)
      // The state now is kept first: a rollback is never the only copy of what it replaced.
      await saveVersion(api(), {
        kind: 'rollback',
        name: vt('rollbackCaptureName', { name: versionName(v) }),
      })
      // Each change through the same checker as the server's (rules and period locks): what this
      // user may not change (a locked month, say) is left as it is rather than refused as a whole.
      const gate = accessSessionOf(wb)?.gate
      const allow = gate ? (c: Parameters<typeof gate.check>[0]) => gate.check(c).ok : undefined
      const r = runRollbackUndoable(store.session.undo, wb, () =>
        rollbackTo(vw, wb, allow ? { allow } : {}),
      )
      const done = vt('rolledBack', {
        name: versionName(v),
        cells: r.cells,
        rows: r.rowsRestored + r.rowsDeleted + r.rowsInserted + r.rowsMoved,
        defs: r.definitions.length,
      })
      store.showToast(r.refused > 0 ? `${done} ${vt('rolledBackRefused', { n: r.refused })}` : done)
      setDiff(null)
      await refetch()
    })
  const jump = (item: DiffItem) => {
    const to = item.jump
    if (!to || !item.sheetId) return
    if (store.activeSheet() !== item.sheetId) store.setActiveSheet(item.sheetId)
    // The grid of another sheet mounts a task later: focus once it is there.
    setTimeout(() => {
      const col = to.colId ?? wb.sheet(item.sheetId).columns()[0]?.id
      if (col) store.grid()?.focusCell(to.rowId, col)
    }, 0)
  }
  const readOnly = () => store.readOnly()

  return (
    <aside class="side-panel versions-panel" data-testid="versions-panel">
      <header>
        <h3>{vt('title')}</h3>
        <span>
          <button type="button" class="btn small ghost" onClick={() => void refetch()}>
            {vt('refresh')}
          </button>
          <button type="button" class="btn small" onClick={() => store.setPanel(null)}>
            {vt('close')}
          </button>
        </span>
      </header>
      <Show
        when={!readOnly()}
        fallback={
          <p class="muted" data-testid="versions-viewer-note">
            {vt('viewerNote')}
          </p>
        }
      >
        <form class="versions-save" onSubmit={save}>
          <input
            type="text"
            aria-label={vt('nameLabel')}
            placeholder={vt('namePlaceholder')}
            maxLength={80}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="versions-name"
          />
          <button
            type="submit"
            class="btn small primary"
            disabled={busy() !== null}
            data-testid="versions-save"
          >
            {busy() === 'save' ? vt('saving') : vt('save')}
          </button>
        </form>
      </Show>
      <Show when={error() ?? listError()}>
        {(e) => (
          <div class="history-error versions-error" role="alert" data-testid="versions-error">
            <div>{e().zh}</div>
            <div lang="en">{e().en}</div>
          </div>
        )}
      </Show>
      <Show when={diff()}>
        {(d) => (
          <section class="versions-diff" data-testid="versions-diff">
            <header>
              <h4>{vt('diffTitle', { name: versionName(d().v) })}</h4>
              <button type="button" class="btn small ghost" onClick={() => setDiff(null)}>
                {vt('close')}
              </button>
            </header>
            <Show when={d().count > 0} fallback={<p class="muted">{vt('diffNone')}</p>}>
              <p class="muted">{vt('diffCount', { n: d().count })}</p>
              <ul class="history-list">
                <For each={d().items}>
                  {(item) => (
                    <li data-testid="versions-diff-item" data-kind={item.kind}>
                      <button
                        type="button"
                        class="link versions-jump"
                        disabled={!item.jump}
                        onClick={() => jump(item)}
                      >
                        <Show when={item.sheetName}>
                          <span class="muted">{item.sheetName} · </span>
                        </Show>
                        {item.text}
                      </button>
                      <Show when={item.kind === 'cell'}>
                        <div>
                          <s class="muted">{item.before}</s> →{' '}
                          <span class="history-value">{item.after}</span>
                        </div>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={d().items.length < d().count}>
                <p class="muted">{vt('diffMore', { n: d().count - d().items.length })}</p>
              </Show>
            </Show>
          </section>
        )}
      </Show>
      <Show when={!list.loading} fallback={<p class="muted">{vt('loading')}</p>}>
        <Show
          when={versions().length > 0}
          fallback={
            <Show when={!list.error}>
              <p class="muted">{vt('empty')}</p>
            </Show>
          }
        >
          <ul class="history-list versions-list">
            <For each={versions()}>
              {(v) => (
                <li data-testid="version-item" data-kind={v.kind}>
                  <div class="versions-head">
                    <span class="history-value">{versionName(v)}</span>
                    <span class={`versions-kind kind-${v.kind}`}>
                      {vt(KIND_KEY[v.kind] ?? 'kindAuto')}
                    </span>
                  </div>
                  <div class="muted">
                    {vt('meta', {
                      time: formatTime(v.createdAt),
                      author: v.author || '—',
                      size: sizeText(v.bytes),
                    })}
                  </div>
                  <div class="versions-actions">
                    <button
                      type="button"
                      class="btn small"
                      disabled={busy() !== null}
                      data-testid="version-open"
                      onClick={() => open(v)}
                    >
                      {vt('open')}
                    </button>
                    <Show when={!readOnly()}>
                      <button
                        type="button"
                        class="btn small"
                        disabled={busy() !== null}
                        data-testid="version-compare"
                        onClick={() => compare(v)}
                      >
                        {vt('compare')}
                      </button>
                      <button
                        type="button"
                        class="btn small"
                        disabled={busy() !== null}
                        data-testid="version-copy"
                        title={vt('copyNote')}
                        onClick={() => copy(v)}
                      >
                        {vt('copy')}
                      </button>
                      <button
                        type="button"
                        class="btn small warn"
                        disabled={busy() !== null}
                        data-testid="version-rollback"
                        onClick={() => setConfirming(v)}
                      >
                        {vt('rollback')}
                      </button>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <Show when={confirming()}>
        {(v) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop click is a mouse shortcut; Escape and 取消 cover keyboards.
          <div
            class="modal-backdrop"
            role="presentation"
            onClick={(e) => e.target === e.currentTarget && setConfirming(null)}
          >
            <div
              class="modal"
              role="dialog"
              aria-modal="true"
              data-testid="rollback-confirm"
              // Made with this Show branch: its Escape/focus handling ends with it.
              ref={(el) => dialogKeys(() => setConfirming(null))(el)}
            >
              <h3>{vt('confirmTitle', { name: versionName(v()) })}</h3>
              <p>{vt('confirmBody')}</p>
              <p class="muted" data-testid="rollback-scope">
                {vt('confirmScope')}
              </p>
              <div class="modal-actions">
                <button type="button" class="btn" onClick={() => setConfirming(null)}>
                  {vt('cancel')}
                </button>
                <button
                  type="button"
                  class="btn warn"
                  data-testid="rollback-confirm-ok"
                  onClick={() => rollback(v())}
                >
                  {vt('confirm')}
                </button>
              </div>
            </div>
          </div>
        )}
      </Show>
      <Show when={viewing()}>
        {(w) => (
          <VersionViewer workbook={w().wb} name={w().name} onClose={() => setViewing(null)} />
        )}
      </Show>
    </aside>
  )
}
