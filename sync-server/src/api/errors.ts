import type { ServerResponse } from 'node:http'

/**
 * Every error the read API answers with, in zh-CN and English. The body is
 * `{ "error": <code>, "zh": <message>, "en": <message> }`, so a script can branch on `error` and a
 * person reads the language they know; no stack trace or internal detail ever leaves the server.
 */
export const API_ERRORS = {
  'token-missing': {
    status: 401,
    zh: '缺少访问令牌：请用 Authorization: Bearer <令牌> 或 ?token=<令牌>。',
    en: 'Missing token: send Authorization: Bearer <token> or ?token=<token>.',
  },
  'token-malformed': {
    status: 401,
    zh: '访问令牌格式不对，请检查是否完整复制。',
    en: 'The token is malformed; check that it was copied whole.',
  },
  'token-bad-signature': {
    status: 401,
    zh: '访问令牌无效（不是本服务器签发的，或已被更换）。',
    en: 'The token is invalid (not signed by this server, or its key changed).',
  },
  'token-expired': {
    status: 401,
    zh: '访问令牌已过期，请向台账管理员索取新的链接。',
    en: 'The token has expired; ask the workbook owner for a new link.',
  },
  // access (issue 16): a signed token whose role and scope do not belong together
  'token-bad-scope': {
    status: 401,
    zh: '访问令牌的角色与范围不匹配（限定范围的编辑者必须且只能有一个站点或区县）。',
    en: 'The token role and scope do not match (a scoped editor has exactly one station or district).',
  },
  'token-other-workbook': {
    status: 403,
    zh: '此令牌无权访问这个台账。',
    en: 'This token does not give access to this workbook.',
  },
  'bad-workbook-id': {
    status: 400,
    zh: '台账编号不合法（只能包含字母、数字、_ 和 -，最长 128 个字符）。',
    en: 'Bad workbook id (letters, digits, _ and -, at most 128 characters).',
  },
  'workbook-not-found': {
    status: 404,
    zh: '没有这个台账。',
    en: 'No such workbook.',
  },
  'sheet-not-found': {
    status: 404,
    zh: '这个台账里没有这张工作表（可用工作表编号或名称）。',
    en: 'No such sheet in this workbook (give its id or its name).',
  },
  // cell history (issue 13 §5)
  'bad-history-query': {
    status: 400,
    zh: '请用 ?row=<行编号>&col=<列编号或列名> 指定单元格。',
    en: 'Name the cell with ?row=<row id>&col=<column id or name>.',
  },
  'row-not-found': {
    status: 404,
    zh: '这张工作表里没有这一行。',
    en: 'No such row in this sheet.',
  },
  'column-not-found': {
    status: 404,
    zh: '这张工作表里没有这一列（可用列编号或列名）。',
    en: 'No such column in this sheet (give its id or its name).',
  },
  // versions (issue 13 §3): /api/workbooks/<id>/versions
  'version-not-found': {
    status: 404,
    zh: '这个台账没有这个版本（可能已按保留规则清理）。',
    en: 'No such version of this workbook (it may have been pruned by the retention policy).',
  },
  'bad-version-request': {
    status: 400,
    zh: '请求内容应为 JSON：{"name": 不超过 100 个字符的名称, "kind": "manual"、"import" 或 "rollback"}，不超过 16 KiB。',
    en: 'The body must be JSON {"name": a name of at most 100 characters, "kind": "manual", "import" or "rollback"}, at most 16 KiB.',
  },
  'version-editor-only': {
    status: 403,
    zh: '只读用户可以查看版本，但不能保存版本。',
    en: 'Viewers may list and open versions but not save one.',
  },
  'versions-method': {
    status: 405,
    zh: '版本接口只支持 GET 和 POST。',
    en: 'The versions endpoint only supports GET and POST.',
  },
  'versions-off': {
    status: 503,
    zh: '此服务器未启用版本功能。',
    en: 'Versions are not enabled on this server.',
  },
  'bad-path': {
    status: 400,
    zh: '地址无法解析（编码有误）。',
    en: 'The address could not be decoded.',
  },
  'not-found': {
    status: 404,
    zh: '没有这个接口，请参阅 docs/API.md。',
    en: 'No such endpoint; see docs/API.md.',
  },
  'method-not-allowed': {
    status: 405,
    zh: '此接口只支持 GET。',
    en: 'This endpoint only supports GET.',
  },
  'not-acceptable': {
    status: 406,
    zh: '只能返回 JSON（application/json）或 CSV（text/csv）。',
    en: 'Only JSON (application/json) or CSV (text/csv) can be returned.',
  },
  unavailable: {
    status: 503,
    zh: '暂时无法读取台账数据，请稍后重试。',
    en: 'The workbook could not be read just now; try again shortly.',
  },
  internal: {
    status: 500,
    zh: '服务器内部错误，已记录日志。',
    en: 'Internal server error; it has been logged.',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>

export type ApiErrorCode = keyof typeof API_ERRORS

/** An expected failure of a request, thrown by a handler and answered by the router. */
export class ApiError extends Error {
  constructor(readonly code: ApiErrorCode) {
    super(API_ERRORS[code].en)
  }
}

/** Writes `body` as JSON with `status`; never cached (the data changes with every edit). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** Answers with the error's status and its zh-CN and English messages. */
export function sendError(res: ServerResponse, code: ApiErrorCode, extra: object = {}): void {
  const e = API_ERRORS[code]
  const headers: Record<string, string> = {}
  if (e.status === 401) headers['www-authenticate'] = 'Bearer realm="taizhang"'
  if (e.status === 405) headers.allow = 'GET, HEAD'
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  sendJson(res, e.status, { error: code, zh: e.zh, en: e.en, ...extra })
}
