import { type ParseArgsConfig, parseArgs } from 'node:util'

export type Options = NonNullable<ParseArgsConfig['options']>

/** One CLI subcommand; the registry in `commands/index.ts` is a plain array of these. */
export interface Command {
  name: string
  summary: string
  run(argv: string[]): Promise<number>
}

/** Parses `argv` strictly; prints help and returns null for --help, throws on unknown flags. */
export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O,
  help: string,
):
  | ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: false }>>['values']
  | null {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${help.trim()}\n`)
    return null
  }
  return parseArgs({ args: argv, options, allowPositionals: false }).values
}

/** The host/port/public URL settings `serve` uses, shared with `token` for links. */
export const NETWORK_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'public-url': { type: 'string' },
} as const

export function resolveNetwork(
  values: { host?: string; port?: string; 'public-url'?: string },
  env: NodeJS.ProcessEnv,
): { host: string; port: number; publicUrl: string | undefined } {
  const host = values.host ?? env.TAIZHANG_HOST ?? '127.0.0.1'
  const portText = values.port ?? env.TAIZHANG_PORT ?? '8787'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port: ${portText}`)
  return { host, port, publicUrl: values['public-url'] ?? env.TAIZHANG_PUBLIC_URL }
}

export function defaultPublicUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`
}
