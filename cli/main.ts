#!/usr/bin/env node
/**
 * protoplate, the command: looks at protobuf bytes with a schema or
 * without (`raw`, `explain`), and writes templates from .proto files
 * (`generate`). docs/cli.md is its manual.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ProtoError } from '../src/index.js'
import { SchemaError } from '../schema/index.js'
import { COMMANDS, type Command, helpOf, USAGE } from './commands.js'
import { DataError, EXIT, UsageError } from './io.js'

/** Run the command line `argv` (without node and the script); the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  try {
    const [name, ...rest] = argv
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      const about = name === 'help' ? rest[0] : undefined
      if (about !== undefined && !(about in COMMANDS)) throw new UsageError(unknown(about))
      // Without a command, the usage is the error's message, on stderr.
      ;(name === undefined ? process.stderr : process.stdout).write(about === undefined ? USAGE : helpOf(COMMANDS[about]!))
      return name === undefined ? EXIT.usage : EXIT.ok
    }
    if (name === '--version' || name === '-V') {
      process.stdout.write(`${version()}\n`)
      return EXIT.ok
    }
    const command = COMMANDS[name]
    if (command === undefined) throw new UsageError(unknown(name))
    const args = parse(command, rest)
    if (args.values['help'] === true) {
      process.stdout.write(helpOf(command))
      return EXIT.ok
    }
    return await command.run(args.values, args.positionals)
  } catch (e) {
    return report(e)
  }
}

function unknown(name: string): string {
  return `unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')})`
}

function parse(command: Command, args: string[]): { values: Record<string, unknown>; positionals: string[] } {
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } satisfies ParseArgsConfig['options']
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
    return { values: values as Record<string, unknown>, positionals }
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e), command.name)
  }
}

/** An error as one line on stderr, and its exit code: never a stack trace. */
function report(e: unknown): number {
  const say = (s: string) => process.stderr.write(`protoplate: ${s}\n`)
  if (e instanceof UsageError) {
    say(e.message)
    process.stderr.write(`Try: protoplate ${e.command === undefined ? '--help' : `${e.command} --help`}\n`)
    return EXIT.usage
  }
  if (e instanceof ProtoError || e instanceof DataError || e instanceof SchemaError) {
    say(e.message)
    return EXIT.data
  }
  say(`internal error (a bug; please report it): ${e instanceof Error ? e.message : String(e)}`)
  return EXIT.internal
}

/** The version of the package.json above dist/. */
function version(): string {
  return `protoplate ${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version}`
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A reader that went away (`protoplate raw big.bin | head`) is no error of ours.
  if (e.code === 'EPIPE') process.exit(EXIT.ok)
  throw e
})

process.exitCode = await main(process.argv.slice(2))
