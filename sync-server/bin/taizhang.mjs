#!/bin/sh
':' //; [ -n "$MALLOC_MMAP_THRESHOLD_" ] || export MALLOC_MMAP_THRESHOLD_=65536; exec node --expose-gc --max-semi-space-size=1 "$0" "$@"
// The line above is for sh, and a no-op string and a comment for JavaScript: run as a program
// (`pnpm taizhang`, `./bin/taizhang.mjs`, the package bin) this file re-executes itself under Node
// in the same process (exec: no parent stays resident) with three memory settings for a small,
// long-running server (docs/SYNC.md, "Memory"):
// - glibc's mmap threshold pinned to 64 KiB. Without that, glibc raises the threshold to the size
//   of each large buffer it frees (a 2–20 MB frame or workbook) and then keeps such buffers in its
//   heaps after they are freed: a 100,000-row upload leaves 100+ MiB resident. Pinned, buffers of
//   64 KiB or more (socket reads among them) go back to the system when freed.
// - --expose-gc: the server runs a full GC (and a follow-up) once it is quiet after letting go of
//   a big doc or read (src/reclaim.ts), instead of keeping that memory until V8's next collection.
// - --max-semi-space-size=1: a young generation of 1 MiB semi-spaces (default up to 16): less
//   committed memory and less premature promotion; no throughput change measured.
// `node bin/taizhang.mjs` skips the line and runs the same server without the settings;
// MALLOC_MMAP_THRESHOLD_ already set is kept.
//
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
