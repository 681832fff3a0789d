import { open, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type CsvByteSource, type CsvLang, Workbook } from '@taizhang/shared'
import * as Y from 'yjs'
import { WORKBOOK_ID } from '../auth/tokens.js'
import { DB_DIR, resolveDataDir, runningServer } from '../dataDir.js'
import type { DocStore } from '../storage/DocStore.js'
import { createLevelDocStore } from '../storage/levelDocStore.js'
import { type Options, parseCommandArgs } from './args.js'

/** What the CSV commands print; `say(zh, en)` picks the language chosen with `--lang`. */
export interface Out {
  lang: CsvLang
  say(zh: string, en: string): string
  info(line: string): void
  error(line: string): void
}

export function makeOut(lang: string | undefined): Out {
  const l: CsvLang = lang === 'en' ? 'en' : 'zh'
  return {
    lang: l,
    say: (zh, en) => (l === 'en' ? en : zh),
    info: (line) => process.stdout.write(`${line}\n`),
    error: (line) => process.stderr.write(`${line}\n`),
  }
}

/** The refusal when a server holds the data dir: its LevelDB is locked and it owns the docs. */
export function refuseIfServerRunning(dataDir: string, out: Out): boolean {
  const lock = runningServer(dataDir)
  if (!lock) return false
  out.error(
    out.say(
      `数据目录 ${dataDir} 正被运行中的服务器使用（进程 ${lock.pid}，端口 ${lock.port}）。请先停止服务器，或在网页中导入/导出。`,
      `The data dir ${dataDir} is in use by a running server (pid ${lock.pid}, port ${lock.port}). Stop it first, or import/export in the web app.`,
    ),
  )
  return true
}

export function checkWorkbookId(id: string | undefined, out: Out): id is string {
  if (id && WORKBOOK_ID.test(id)) return true
  out.error(
    out.say(
      '需要 --workbook <id>（字母、数字、_ 和 -）',
      '--workbook <id> is required (letters, digits, _ and -)',
    ),
  )
  return false
}

/** The options both CSV commands take, besides their own (`--file`/`--out` and the rest). */
const SHEET_OPTIONS = {
  data: { type: 'string' },
  workbook: { type: 'string' },
  sheet: { type: 'string' },
  percent: { type: 'string' },
  lang: { type: 'string' },
} as const

/** A usage error: printed in the chosen language; the command exits with status 2. */
export type Usage = (zh: string, en: string) => 2

/**
 * The start both CSV commands share: their options parsed with SHEET_OPTIONS, output in the
 * `--lang` chosen, and the `--workbook` and `--sheet` checks. Returns 0 (help printed), 2 (bad
 * usage, already printed) or what the command goes on with (`sheet` trimmed).
 */
export function startSheetCommand<O extends Options>(
  argv: string[],
  options: O,
  help: string,
  /** `--sheet` may be left out (an .xlsx import names the sheet after its worksheet; an .xlsx
   * export writes every sheet): `sheet` is then ''. */
  sheetOptional?: (v: Record<string, unknown>) => boolean,
):
  | 0
  | 2
  | {
      v: NonNullable<ReturnType<typeof parseCommandArgs<typeof SHEET_OPTIONS & O>>>
      out: Out
      usage: Usage
      workbook: string
      sheet: string
    } {
  const v = parseCommandArgs(argv, { ...SHEET_OPTIONS, ...options }, help)
  if (!v) return 0
  // SHEET_OPTIONS's values, which TypeScript cannot see through the generic O.
  const given = v as { lang?: string; workbook?: string; sheet?: string }
  const out = makeOut(given.lang)
  const usage: Usage = (zh, en) => {
    out.error(out.say(zh, en))
    return 2
  }
  if (!checkWorkbookId(given.workbook, out)) return 2
  const sheet = given.sheet?.trim() ?? ''
  if (!sheet && !sheetOptional?.(v as Record<string, unknown>))
    return usage('需要 --sheet <工作表名称>', '--sheet <name> is required')
  return { v, out, usage, workbook: given.workbook, sheet }
}

/**
 * The data dir a CSV command works on (`--data`, else the default), or undefined with the refusal
 * printed while a server holds it. A test's own `store` skips the check.
 */
export function freeDataDir(
  data: string | undefined,
  out: Out,
  store?: DocStore,
): string | undefined {
  const dataDir = resolveDataDir(data)
  if (!store && refuseIfServerRunning(dataDir, out)) return undefined
  return dataDir
}

/** A workbook loaded from the server's embedded storage, with a way to store what changed. */
export interface StoredWorkbook {
  wb: Workbook
  created: boolean
  /** Appends everything written since load as one update. */
  save(): Promise<void>
  close(): Promise<void>
}

export async function openStoredWorkbook(
  dataDir: string,
  id: string,
  opts: { create: boolean },
  store?: DocStore,
): Promise<StoredWorkbook | undefined> {
  const s = store ?? (await createLevelDocStore(join(dataDir, DB_DIR)))
  const updates = await s.load(id)
  if (updates.length === 0 && !opts.create) {
    if (!store) await s.close()
    return undefined
  }
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u)
  })
  const loaded = Y.encodeStateVector(doc)
  const author = { id: 'cli', name: '命令行导入' }
  let wb: Workbook
  if (updates.length === 0) wb = Workbook.create(doc, { title: id, author })
  else {
    const opened = Workbook.open(doc, { author })
    if (opened.readOnly) {
      if (!store) await s.close()
      throw new Error(opened.reason?.zh ?? 'read-only')
    }
    wb = opened.workbook
  }
  return {
    wb,
    created: updates.length === 0,
    async save() {
      const update = Y.encodeStateAsUpdate(doc, loaded)
      // An update with no structs and an empty delete set is 2 bytes: nothing to store.
      if (update.length > 2) await s.append(id, update)
    },
    async close() {
      wb.destroy()
      if (!store) await s.close()
    },
  }
}

/** A file on disk as a CSV byte source (read in chunks, never whole). */
/** Whether a path names an Excel workbook (.xlsx, .xlsm) or a legacy one the import explains (.xls, .et). */
export function isExcelPath(path: string): boolean {
  return /\.(xlsx|xlsm|xls|et)$/i.test(path)
}

export async function fileSource(
  path: string,
): Promise<{ source: CsvByteSource; close(): Promise<void> }> {
  const fh = await open(path, 'r')
  const { size } = await fh.stat()
  return {
    source: {
      size,
      async read(start, end) {
        const buf = new Uint8Array(end - start)
        let off = 0
        while (off < buf.length) {
          const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off)
          if (bytesRead === 0) break
          off += bytesRead
        }
        return off === buf.length ? buf : buf.subarray(0, off)
      },
    },
    close: () => fh.close(),
  }
}

/** Writes a file atomically: a temporary sibling, then rename. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`
  await writeFile(tmp, bytes)
  await rename(tmp, path)
}
