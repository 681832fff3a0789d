#!/usr/bin/env node
// Browser tests drive Debian's Chromium (no browser downloads are possible on these machines).
// If it is missing and we are root on Debian, install it with apt; otherwise say how.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = process.env.TAIZHANG_CHROMIUM ?? '/usr/bin/chromium'
if (existsSync(CHROMIUM)) process.exit(0)
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`${CHROMIUM} not found: installing Debian's chromium with apt-get (about a minute)…`)
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  })
  process.exit(existsSync(CHROMIUM) ? 0 : 1)
}
console.error(
  `Chromium not found at ${CHROMIUM}. Install it (Debian: sudo apt-get install -y chromium) ` +
    'or set TAIZHANG_CHROMIUM to a Chromium binary; browser tests need it.',
)
process.exit(1)
