import type { Identity } from '../connection.js'

/** The outcome of an authorization check: who is connecting, or why not (an HTTP status). */
export type AuthDecision =
  | { ok: true; identity: Identity }
  | { ok: false; status: 401 | 403; reason: string /** metrics label */; metric: string }

/**
 * Decides who may open a workbook's room. Checked during the HTTP upgrade, before any document
 * byte is sent. `server.ts` sees only this interface; `tokenAuthenticator.ts` is the HMAC-token
 * implementation, and a deployment with its own identity provider can supply another.
 */
export interface Authenticator {
  authorize(token: string | null, workbook: string): AuthDecision
}
