import { formatMessage, locale } from '../i18n'

/** The print feature's strings (issue #15 §5), zh-CN first. */
const zh = {
  print: '打印',
  printTitle: '打印当前工作表（A4 横向，可另存为 PDF）',
  printedOn: '打印日期：{date}',
  rowCount: '共 {n} 行',
  part: '第 {k}/{n} 部分：列 {from} – {to}',
  page: '第 {page} 页，共 {pages} 页',
}
type Key = keyof typeof zh

const en: Record<Key, string> = {
  print: 'Print',
  printTitle: 'Print this sheet (A4 landscape; save as PDF from the dialog)',
  printedOn: 'Printed {date}',
  rowCount: '{n} rows',
  part: 'Part {k} of {n}: columns {from} – {to}',
  page: 'Page {page} of {pages}',
}

export function pt(key: Key, params?: Record<string, string | number>): string {
  return formatMessage((locale() === 'en' ? en : zh)[key], params)
}

/** For CSS `content`: the page template with counters in place of {page} and {pages}. */
export function pageCounterContent(): string {
  const template = (locale() === 'en' ? en : zh).page
  return template
    .split(/(\{page\}|\{pages\})/)
    .filter((p) => p !== '')
    .map((p) =>
      p === '{page}' ? 'counter(page)' : p === '{pages}' ? 'counter(pages)' : cssString(p),
    )
    .join(' ')
}

/** A CSS string literal. */
export function cssString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\A ')}"`
}
