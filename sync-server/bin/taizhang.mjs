#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx's loader (no child process, so signals
// and kill -9 reach the server itself).
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
