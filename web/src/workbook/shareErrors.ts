import { t } from '../i18n'

/** The longest share link the server signs (days); `SHARE_MAX_DAYS` in sync-server/src/server.ts. */
export const SHARE_MAX_DAYS = 365

/**
 * What to tell the person when `POST /api/share` fails: a sentence in the UI's language for each
 * status, never the server's raw (English, JSON) body.
 */
export function shareErrorMessage(status: number): string {
  if (status === 401) return t('share.err.unauthorized')
  if (status === 403) return t('share.err.forbidden')
  if (status === 400) return t('share.err.invalid')
  return t('share.err.server', { status })
}

/** A days value the server accepts, or the message saying why not. */
export function checkShareDays(days: number): string | null {
  return Number.isInteger(days) && days >= 1 && days <= SHARE_MAX_DAYS
    ? null
    : t('share.err.days', { max: SHARE_MAX_DAYS })
}
