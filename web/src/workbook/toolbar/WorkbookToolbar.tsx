import { For, onCleanup, onMount, Show } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import { accessSessionOf } from '../../access/ui/createAccessSession'
import { avatarText } from '../../app/avatarText'
import type { Identity } from '../../app/identity'
import { type CommandContext, commands, toolbarExtensions } from '../../app/toolbarExtensions'
import { offeredTo } from '../../app/viewerVisibility'
import { t } from '../../i18n'
import { StatusBadge } from '../StatusBadge'
import type { WorkbookStore } from '../session/createWorkbookStore'
import { ToolbarOverflow } from '../ToolbarOverflow'
import { commandLabel, commandShortcut } from './commandUi'
import { keepOneRow } from './fitOneRow'

/**
 * The workbook toolbar: title, sync status, presence, then the command table's buttons
 * (`toolbar.slot` main), the registered extensions (CSV…), and the `end` buttons (分享).
 */
export function WorkbookToolbar(props: {
  store: WorkbookStore
  identity: Identity
  commandContext: () => CommandContext
}) {
  const store = props.store
  const session = store.session
  const buttons = (slot: 'main' | 'end' | 'more') => (
    <For
      each={commands.filter(
        // A viewer is not offered what they cannot use (issue 12, "app").
        (c) => c.toolbar?.slot === slot && offeredTo(c, props.commandContext()),
      )}
    >
      {(c) => {
        const ctx = () => props.commandContext()
        const variant = () => c.toolbar?.variant?.(ctx())
        return (
          <button
            type="button"
            class={`btn ${variant() ?? ''}`}
            onClick={() => c.run(ctx())}
            disabled={!c.enabled(ctx())}
            title={commandShortcut(c, '+')}
            data-testid={c.toolbar?.testId}
            data-command={c.id}
            // grid-ui (issue 12): never on the row, always in 更多 (styles.css)
            data-more-only={slot === 'more' ? '' : undefined}
          >
            {(c.toolbar?.icon ? `${c.toolbar.icon} ` : '') + commandLabel(c, ctx())}
          </button>
        )
      }}
    </For>
  )
  let bar!: HTMLDivElement
  // issue 16 (access-ui): the title is structure, owners' only once access is set up
  const titleReadOnly = () =>
    store.readOnly() || accessSessionOf(session.workbook)?.canStructure() === false
  // One row at any width; what does not fit goes into 更多 (fitOneRow.ts).
  onMount(() => onCleanup(keepOneRow(bar)))
  return (
    <div class="toolbar" ref={bar}>
      <a class="btn ghost" href="#/">
        ← {t('wb.home')}
      </a>
      <input
        class="title-input"
        aria-label={t('wb.renameTitle')}
        value={store.title()}
        readOnly={titleReadOnly()}
        onChange={(e) => {
          const v = e.currentTarget.value.trim()
          if (v && !titleReadOnly()) session.workbook.setTitle(v)
        }}
        data-testid="wb-title"
      />
      <Show when={store.readOnly()}>
        <span class="readonly-chip" data-testid="readonly-notice" title={t('warn.readOnlyLong')}>
          {t('warn.readOnly')}
        </span>
      </Show>
      <StatusBadge session={session} />
      <span class="spacer" />
      <div class="presence" data-testid="presence">
        <span
          class="avatar me"
          style={{ background: props.identity.color }}
          title={`${props.identity.name} (${t('presence.you')})`}
        >
          {avatarText(props.identity.name)}
        </span>
        <For each={session.peers()}>
          {(p) => (
            <span class="avatar" style={{ background: p.color }} title={p.name} data-peer={p.name}>
              {avatarText(p.name)}
            </span>
          )}
        </For>
      </div>
      {buttons('main')}
      <For each={toolbarExtensions}>
        {(Ext) => (
          <Dynamic
            component={Ext}
            session={session}
            sheetId={store.activeSheet}
            selectSheet={store.setActiveSheet}
            visibleRowIds={() => store.visibleRowIds()}
          />
        )}
      </For>
      {/* narrow screens: the hidden buttons, in a menu (issue 12, "app") */}
      <ToolbarOverflow />
      {buttons('end')}
      {buttons('more')}
    </div>
  )
}
