import { parseShareLink, readTokenClaims } from '../doc/token'

/** This browser's collaborator identity: a stable id, a name asked once, a colour. */
export interface Identity {
  id: string
  name: string
  color: string
}

const IDENTITY_KEY = 'taizhang.identity'
/** Distinct, readable on white, and not red/green-only (the validation colours). */
export const PRESENCE_COLORS = [
  '#2563eb',
  '#d97706',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#65a30d',
  '#ea580c',
  '#4f46e5',
] as const

export function randomId(length = 12): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let s = ''
  for (const b of bytes) s += alphabet[b % 62]
  return s
}

/** Names that tokens carry by default (`serve`'s owner link, `token`, the share API): not a person's. */
const PLACEHOLDER_NAMES = new Set(['owner', 'user', 'shared link', 'anonymous', ''])

/**
 * The person's name carried by a share link in `href` (the share dialog's 对方姓名), if any:
 * `null` for no link, no name, or a default placeholder.
 */
export function nameFromLink(href: string): string | null {
  const token = parseShareLink(href)?.token
  if (!token) return null
  const name = readTokenClaims(token).name?.trim().slice(0, 40) ?? ''
  return PLACEHOLDER_NAMES.has(name.toLowerCase()) ? null : name
}

/**
 * This browser's identity; on a first visit through a share link that names the person, that
 * name (they are not asked again). Read before the link is taken out of the address bar.
 */
export function loadIdentity(
  href: string | undefined = globalThis.location?.href,
): Identity | null {
  const stored = readStoredIdentity()
  if (stored) return stored
  const name = href ? nameFromLink(href) : null
  return name ? saveIdentity(name, null) : null
}

function readStoredIdentity(): Identity | null {
  try {
    const raw = localStorage.getItem(IDENTITY_KEY)
    if (!raw) return null
    const v = JSON.parse(raw) as Partial<Identity>
    if (typeof v.id === 'string' && typeof v.name === 'string' && typeof v.color === 'string') {
      return { id: v.id, name: v.name, color: v.color }
    }
  } catch {
    // Damaged: ask again.
  }
  return null
}

export function saveIdentity(name: string, previous: Identity | null): Identity {
  const id = previous?.id ?? randomId()
  const color =
    previous?.color ??
    PRESENCE_COLORS[crypto.getRandomValues(new Uint8Array(1))[0]! % PRESENCE_COLORS.length]!
  const identity = { id, name: name.trim().slice(0, 40), color }
  try {
    localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity))
  } catch {
    // Kept for this session only.
  }
  return identity
}
