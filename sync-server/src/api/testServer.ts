/**
 * The read-API tests' boot (api, history, conflicts): a real server on port 0 whose store already
 * holds some workbooks, as the server would have stored them (one update each), handed to the
 * file's test scope so it is closed after each test with the clients the test connected.
 */
import * as Y from 'yjs'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { startTestServer, type TestServer, type useTestScope } from '../test/helpers.js'

type TestScope = ReturnType<typeof useTestScope>

/** Starts the scope's server with `docs` (workbook id → doc or its update) in a memory store. */
export async function startWithDocs(
  scope: TestScope,
  docs: Record<string, Y.Doc | Uint8Array>,
  opts: Omit<Parameters<typeof startTestServer>[0] & {}, 'store'> = {},
): Promise<TestServer> {
  const store = createMemoryDocStore()
  for (const [id, doc] of Object.entries(docs))
    await store.append(id, doc instanceof Uint8Array ? doc : Y.encodeStateAsUpdate(doc))
  const srv = await startTestServer({ ...opts, store })
  scope.srv = srv
  return srv
}
