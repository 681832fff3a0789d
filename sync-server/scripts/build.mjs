#!/usr/bin/env node
/**
 * Bundles the `taizhang` CLI (sync-server/src + the @taizhang/shared sources it imports) into
 * plain JavaScript, `sync-server/dist/cli.mjs`, so the production server runs on bare Node:
 * no tsx loader and no esbuild in the server process (tens of MiB of RSS and ~0.5 s of start).
 * The sync-server's npm dependencies stay runtime imports (one yjs instance, native
 * classic-level); the shared package's small pure dependencies are bundled in.
 *
 *   node sync-server/scripts/build.mjs            build now
 *   node sync-server/scripts/build.mjs --if-stale build only when a source is newer than the bundle
 *
 * `bin/taizhang.mjs` runs the second form itself before importing the bundle, so a clean checkout
 * and every source edit just work; nobody has to remember a build step.
 */
import { readdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SERVER_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const BUNDLE = join(SERVER_ROOT, 'dist/cli.mjs')
const SOURCE_DIRS = [join(SERVER_ROOT, 'src'), join(SERVER_ROOT, '../shared/src')]
const SOURCE_FILES = [
  fileURLToPath(import.meta.url),
  join(SERVER_ROOT, 'package.json'),
  join(SERVER_ROOT, '../shared/package.json'),
]

/** Newest modification time (ms) of anything the bundle is built from (tests excluded). */
export function newestSourceMs() {
  let newest = 0
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  for (const d of SOURCE_DIRS) visit(d)
  for (const f of SOURCE_FILES) newest = Math.max(newest, statSync(f).mtimeMs)
  return newest
}

/** Whether the bundle is missing or older than one of its sources. */
export function isStale() {
  try {
    return statSync(BUNDLE).mtimeMs < newestSourceMs()
  } catch {
    return true
  }
}

export async function build() {
  const { build: esbuild } = await import('esbuild')
  const pkg = JSON.parse(readFileSync(join(SERVER_ROOT, 'package.json'), 'utf8'))
  const external = Object.entries(pkg.dependencies)
    .filter(([, version]) => !String(version).startsWith('workspace:'))
    .flatMap(([name]) => [name, `${name}/*`])
  // Several processes may find the bundle stale at once (tests start servers in parallel): each
  // writes its own file and renames it into place, which is atomic.
  const tmp = `${BUNDLE}.${process.pid}.tmp`
  await esbuild({
    entryPoints: [join(SERVER_ROOT, 'src/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    external,
    // Bundled CommonJS code (papaparse) calls require(); give the ES module one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    // For stack traces into src/, run with NODE_OPTIONS=--enable-source-maps (off by default: the
    // source map cache costs start time and memory).
    sourcemap: 'linked',
    logLevel: 'error',
  })
  renameSync(`${tmp}.map`, `${BUNDLE}.map`)
  renameSync(tmp, BUNDLE)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!process.argv.includes('--if-stale') || isStale()) await build()
}
