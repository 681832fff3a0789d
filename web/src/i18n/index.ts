import { createSignal } from 'solid-js'
import { en } from './en'
import { type MessageKey, type Messages, zhCN } from './zh-CN'

export type Locale = 'zh-CN' | 'en'
export type { MessageKey }

const CATALOGS: Record<Locale, Messages> = { 'zh-CN': zhCN, en }
const LOCALE_STORAGE_KEY = 'taizhang.locale'

function readStoredLocale(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY)
    return v === 'en' ? 'en' : 'zh-CN'
  } catch {
    // Storage can be disabled (private mode); the default locale is fine.
    return 'zh-CN'
  }
}

// Module-level signal: the locale is app-wide, and a root-less signal is safe to create here.
const [locale, setLocaleSignal] = createSignal<Locale>(readStoredLocale())

export { locale }

export function setLocale(next: Locale): void {
  setLocaleSignal(next)
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, next)
  } catch {
    // Not persisting the choice is harmless.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next
}

/** Formats a message; `{name}` placeholders are replaced by params. Reactive on the locale. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return formatMessage(CATALOGS[locale()][key], params)
}

export function formatMessage(template: string, params?: Record<string, string | number>): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  )
}

/** Number formatting for the current locale (thousands separators). */
export function formatNumber(n: number, maxDecimals = 2): string {
  return n.toLocaleString(locale() === 'en' ? 'en-US' : 'zh-CN', {
    maximumFractionDigits: maxDecimals,
  })
}

// conflict-perf: one formatter per locale (toLocaleString made one per call: ~0.2 ms each, 200 ms
// for the tooltips of a 1,000-conflict batch); the same text.
const timeFormats = new Map<string, Intl.DateTimeFormat>()
export function formatTime(ms: number): string {
  const loc = locale() === 'en' ? 'en-GB' : 'zh-CN'
  let f = timeFormats.get(loc)
  if (!f) {
    f = new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' })
    timeFormats.set(loc, f)
  }
  return f.format(ms)
}
