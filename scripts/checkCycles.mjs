#!/usr/bin/env node
// Lint for the dependency graph: no import cycles anywhere (dpdm, as yjs/yjs runs in its lint),
// and dependencies point one way: web → shared ← sync-server, shared importing neither.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const entries = ['shared/src/index.ts', 'sync-server/src/cli.ts', 'web/src/main.tsx']
let failed = false
try {
  execFileSync(
    'node',
    [
      'node_modules/dpdm/lib/bin/dpdm.js',
      '--no-tree',
      '--no-warning',
      '--circular',
      '-T',
      '--exit-code',
      'circular:1',
      '--exclude',
      'node_modules',
      ...entries,
    ],
    { stdio: 'inherit' },
  )
} catch {
  // dpdm already printed the cycle; keep going to report direction problems too.
  failed = true
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (name === 'node_modules' || name === 'dist') continue
    if (statSync(p).isDirectory()) yield* files(p)
    else if (/\.(ts|tsx)$/.test(name)) yield p
  }
}

const rules = [
  {
    dir: 'shared/src',
    banned: /from '(@taizhang\/(web|sync-server)|\.\.\/\.\.\/(web|sync-server))/,
  },
  {
    dir: 'web/src',
    banned: /from '(@taizhang\/sync-server|.*\/sync-server\/)|from '.*shared\/src\//,
  },
  { dir: 'sync-server/src', banned: /from '(@taizhang\/web|.*\/web\/src)|from '.*shared\/src\// },
]
for (const { dir, banned } of rules) {
  for (const f of files(dir)) {
    const src = readFileSync(f, 'utf8')
    const m = src.match(banned)
    if (m) {
      console.error(
        `${f}: forbidden import ${m[0]} (web → shared ← sync-server; use '@taizhang/shared')`,
      )
      failed = true
    }
  }
}
if (failed) process.exit(1)
console.log('dependency graph: no cycles, directions ok')
