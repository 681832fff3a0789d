#!/usr/bin/env node
// Runs the pinned pnpm without corepack (its signature check fails on some machines):
// a pnpm already on PATH at the pinned major, else `npx -y pnpm@<pinned>`.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1]
const args = process.argv.slice(2)

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: process.cwd(), shell: false })
  if (r.error) return { ok: false, error: r.error }
  return { ok: true, status: r.status ?? 1 }
}

const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
const localVersion = local.status === 0 ? local.stdout.trim() : ''
const r =
  localVersion === pinned
    ? run('pnpm', args)
    : run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['-y', `pnpm@${pinned}`, ...args])
if (!r.ok) {
  console.error(`could not run pnpm ${pinned}: ${r.error.message}`)
  process.exit(1)
}
process.exit(r.status)
