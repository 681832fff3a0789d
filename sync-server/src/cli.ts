import { commands } from './commands/index.js'

const HELP = () =>
  `taizhang — Taizhang (台账) server and tools

Usage: taizhang <command> [options]   (taizhang <command> --help for details)

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
`

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP())
    return name ? 0 : 1
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${HELP()}`)
    return 2
  }
  try {
    return await command.run(rest)
  } catch (err) {
    process.stderr.write(`taizhang ${name}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`)
    process.exit(1)
  },
)
