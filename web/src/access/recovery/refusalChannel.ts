/**
 * The session's side of a refusal (issue 16 §3, docs/SYNC.md "Access refusals"): the server
 * refused an update of this device (message 101). y-websocket would resend the refused update on
 * every reconnect, and every later update of this client id builds on it, so the socket is
 * stopped and stays stopped until recovery (recover.ts) rebuilds the doc from the server's state.
 *
 * openWorkbook.ts installs it on its provider and asks `refused()` before it (re)connects.
 */
import { MESSAGE_TYPE } from '@taizhang/shared'
import * as decoding from 'lib0/decoding'
import { type Accessor, createSignal } from 'solid-js'
import type { WebsocketProvider } from 'y-websocket'

/** The body of a `refused` message (docs/SYNC.md "Access refusals"), as received. */
export interface RefusalNotice {
  count: number
  refused: unknown[]
}

export interface RefusalChannel {
  /** The last refusal, or null while none came; the socket must not reconnect while set. */
  refusal: Accessor<RefusalNotice | null>
  /** Starts handling message 101 on `provider` (the session's one provider). */
  install(provider: WebsocketProvider): void
}

/** Reads a `refused` message's JSON body; a garbled body still means "refused". */
export function readRefusalNotice(decoder: decoding.Decoder): RefusalNotice {
  try {
    const body = JSON.parse(decoding.readVarString(decoder)) as Partial<RefusalNotice>
    return {
      count: typeof body.count === 'number' ? body.count : 1,
      refused: Array.isArray(body.refused) ? body.refused : [],
    }
  } catch {
    // Recovery recomputes every change itself; only the fact of the refusal matters here.
    return { count: 1, refused: [] }
  }
}

/** Needs no Solid owner (a plain signal). */
export function makeRefusalChannel(): RefusalChannel {
  const [refusal, setRefusal] = createSignal<RefusalNotice | null>(null)
  return {
    refusal,
    install(p) {
      p.messageHandlers[MESSAGE_TYPE.refused] = (_encoder, decoder) => {
        const notice = readRefusalNotice(decoder)
        queueMicrotask(() => p.disconnect())
        setRefusal(notice)
      }
    },
  }
}
