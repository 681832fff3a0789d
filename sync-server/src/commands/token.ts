import { checkIdentityClaims, isRole, ROLES, SCOPE_PROBLEM_MESSAGES } from '@taizhang/shared'
import { expiryInDays, shareUrl, signToken, WORKBOOK_ID } from '../auth/tokens.js'
import { readSecret, resolveDataDir } from '../dataDir.js'
import {
  type Command,
  defaultPublicUrl,
  NETWORK_OPTIONS,
  parseCommandArgs,
  resolveNetwork,
} from './args.js'

const HELP = `
taizhang token — mint an access token and a share link

Usage: taizhang token --workbook <id|*> --role editor|viewer [--days N] [--user <id>] [--name <who>]

Options:
  --workbook <id|*>      the workbook the token opens (* = every workbook)
  --role <role>          owner, approver, editor, scoped-editor or viewer
  --scope-station <s>    scoped-editor only: the station (name or row id) it may write
  --scope-district <d>   scoped-editor only: the district whose stations it may write
  --days <n>             lifetime in days (default 30)
  --name <who>           display name carried by the token (default "user")
  --user <id>            stable user id the server attests edits with (default: the name)
  --public-url <url>     base of the link (env TAIZHANG_PUBLIC_URL; else from --host/--port)
  --host, --port         as for serve (env TAIZHANG_HOST, TAIZHANG_PORT)
  --data <dir>           data directory holding the secret (env TAIZHANG_DATA, default ./data)
  --secret-file <file>   as for serve (env TAIZHANG_SECRET)
  --json                 print {token, url, expiresAt} as JSON
  -h, --help             show this help
`

export const token: Command = {
  name: 'token',
  summary: 'mint a token (owner, approver, editor, scoped-editor, viewer) and its share link',
  async run(argv) {
    const v = parseCommandArgs(
      argv,
      {
        ...NETWORK_OPTIONS,
        workbook: { type: 'string' },
        role: { type: 'string' },
        'scope-station': { type: 'string' },
        'scope-district': { type: 'string' },
        days: { type: 'string' },
        name: { type: 'string' },
        user: { type: 'string' },
        data: { type: 'string' },
        'secret-file': { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    )
    if (!v) return 0
    const workbook = v.workbook
    if (!workbook || (workbook !== '*' && !WORKBOOK_ID.test(workbook))) {
      process.stderr.write('--workbook <id|*> is required (letters, digits, _ and -)\n')
      return 2
    }
    // access (issue 16): five roles; a scoped editor names exactly one station or district.
    if (!isRole(v.role)) {
      process.stderr.write(`--role is required: ${ROLES.join('|')}\n`)
      return 2
    }
    const scopeArg =
      v['scope-station'] !== undefined || v['scope-district'] !== undefined
        ? { station: v['scope-station'], district: v['scope-district'] }
        : undefined
    const scope = checkIdentityClaims(
      v.role,
      scopeArg && JSON.parse(JSON.stringify(scopeArg)), // drops the option not given
    )
    if (!scope.ok) {
      const m = SCOPE_PROBLEM_MESSAGES[scope.reason]
      process.stderr.write(`${m.zh}\n${m.en}\n`)
      return 2
    }
    const days = Number(v.days ?? '30')
    if (!(days > 0)) {
      process.stderr.write('--days must be a positive number\n')
      return 2
    }
    if (v.user !== undefined && !/^[^\s]{1,128}$/u.test(v.user)) {
      process.stderr.write('--user <id> must be 1–128 characters without spaces\n')
      return 2
    }
    const env = process.env
    const net = resolveNetwork(v, env)
    const dataDir = resolveDataDir(v.data, env)
    const { secret } = readSecret({ secretFile: v['secret-file'], dataDir }, env)
    const expiresAt = expiryInDays(Date.now(), days)
    const tok = signToken(secret, {
      workbook,
      role: v.role,
      name: v.name ?? 'user',
      ...(scope.scope ? { scope: scope.scope } : {}),
      ...(v.user !== undefined ? { user: v.user } : {}),
      expiresAt,
    })
    const url = shareUrl(net.publicUrl ?? defaultPublicUrl(net.host, net.port), workbook, tok)
    if (v.json) process.stdout.write(`${JSON.stringify({ token: tok, url, expiresAt })}\n`)
    else process.stdout.write(`${tok}\n${url}\n`)
    return 0
  },
}
