#!/usr/bin/env node
// Runs the CLI bundled to plain JavaScript (dist/cli.mjs) in this process, so signals and kill -9
// reach the server itself. The bundle is (re)built first, in a child process, when it is missing
// or older than a source file (scripts/build.mjs): a clean checkout and every edit just work, and
// the server process never loads esbuild or a TypeScript loader.
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BUNDLE, isStale } from '../scripts/build.mjs'

if (isStale()) {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))
  const r = spawnSync(process.execPath, [script], { stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.status !== 0) {
    process.stderr.write('taizhang: building sync-server/dist/cli.mjs failed\n')
    process.exit(1)
  }
}
await import(pathToFileURL(BUNDLE).href)
