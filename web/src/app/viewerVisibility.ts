import type { Command, CommandContext } from './toolbarExtensions'

/**
 * Whether a command is offered at all: in a read-only workbook (a viewer's link, or a doc newer
 * than this app) a command whose `enabled` rule looks at `readOnly` and says no is hidden, not
 * shown greyed out and then refused (分享, 撤销, 添加行, 删除行…); one that does not care (复制,
 * 问题) stays. Decided from the command's own rule, so commands added to the table later follow
 * without a flag of their own.
 */
export function offeredTo(cmd: Command, ctx: CommandContext): boolean {
  // access-client (issue 16 §1): a command its own rule withholds from this session (分享)
  if (cmd.offered && !cmd.offered(ctx)) return false
  if (!ctx.readOnly) return true
  let asksAccess = false
  const probe: CommandContext = Object.create(ctx, {
    readOnly: {
      get: () => {
        asksAccess = true
        return true
      },
    },
  })
  return cmd.enabled(probe) || !asksAccess
}
