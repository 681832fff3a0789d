import type { Command } from './args.js'
import { exportCommand } from './export.js'
import { importCommand } from './import.js'
import { serve } from './serve.js'
import { token } from './token.js'

export type { Command } from './args.js'

/** Every `taizhang` subcommand. Add new ones (import, export…) to this array. */
export const commands: Command[] = [serve, token, importCommand, exportCommand]
