#!/usr/bin/env node
// The cluster tests start throwaway PostgreSQL, Redis and HAProxy servers from Debian's packages
// (sync-server/src/cluster/services/). If a binary is missing and we are root on Debian, install
// the packages with apt, as ensureChromium.mjs does for Chromium; otherwise say how.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const NEEDED = [
  {
    pkg: 'postgresql',
    bin: `${process.env.TAIZHANG_PG_BIN ?? '/usr/lib/postgresql/15/bin'}/postgres`,
  },
  { pkg: 'redis-server', bin: process.env.TAIZHANG_REDIS_SERVER ?? '/usr/bin/redis-server' },
  { pkg: 'haproxy', bin: process.env.TAIZHANG_HAPROXY ?? '/usr/sbin/haproxy' },
]
const missing = NEEDED.filter((n) => !existsSync(n.bin))
if (missing.length === 0) process.exit(0)
const pkgs = missing.map((m) => m.pkg).join(' ')
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`${missing.map((m) => m.bin).join(', ')} not found: installing ${pkgs} with apt-get…`)
  // The packages' own system services are not used: the tests start their own instances.
  execSync(
    `apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs}`,
    { stdio: 'inherit' },
  )
  const still = missing.filter((m) => !existsSync(m.bin))
  if (still.length === 0) process.exit(0)
  console.error(`still missing after apt-get: ${still.map((m) => m.bin).join(', ')}`)
  process.exit(1)
}
console.error(
  `Not found: ${missing.map((m) => m.bin).join(', ')}. Install them (Debian: sudo apt-get install -y ${pkgs}); ` +
    'the cluster tests start their own PostgreSQL, Redis and HAProxy on 127.0.0.1.',
)
process.exit(1)
