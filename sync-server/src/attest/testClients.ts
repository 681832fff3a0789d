/**
 * Test helpers for the attestation tests (attest.test.ts, deletionAuthors.test.ts): a real
 * server and real y-websocket clients on room `wb`, each closed after its test. Test-only.
 */
import { afterEach } from 'vitest'
import type * as Y from 'yjs'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import {
  type Client,
  connectClient,
  startTestServer,
  type TestServer,
  tokenFor,
} from '../test/helpers.js'

/**
 * Registers an `afterEach` that stops what the returned `server` and `client` started (last
 * first); call once at a test file's top level.
 */
export function attestHarness() {
  const cleanup: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f()
  })

  /** A server (attestation on by default unless `attest` says otherwise). */
  async function server(
    store = createMemoryDocStore(),
    attest: boolean | undefined = undefined,
  ): Promise<TestServer> {
    const s = await startTestServer({ store, ...(attest === undefined ? {} : { attest }) })
    cleanup.push(() => s.server.close())
    return s
  }

  /** An editor of room `wb` whose token names `user` / `name`. */
  function client(s: TestServer, user: string, name: string, doc?: Y.Doc): Client {
    const c = connectClient(s.wsBase, 'wb', tokenFor('editor', 'wb', { user, name }), { doc })
    cleanup.push(() => {
      try {
        c.provider.destroy()
      } catch {
        // The forger's provider: its doc wrote under another client id, and y-protocols' awareness
        // (keyed on doc.clientID) throws when it stops. Nothing to clean beyond the socket.
        c.provider.ws?.close()
      }
    })
    return c
  }

  return { server, client, cleanup }
}
