/**
 * What the commands share: their errors and exit codes, input from a file
 * or stdin, output to stdout or a file, colours, and the progress line.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs'

/** The exit codes (docs/cli.md). */
export const EXIT = { ok: 0, data: 1, usage: 2, internal: 3 } as const

/** A mistake on the command line: exit 2, with the command's usage hinted. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message)
  }
}

/** Input that is not what it should be (bytes, text, a .proto): exit 1. */
export class DataError extends Error {}

/** Colours for the parts of what a command writes; all identity when there are none. */
export interface Style {
  readonly key: (s: string) => string
  readonly wire: (s: string) => string
  readonly value: (s: string) => string
  readonly dim: (s: string) => string
  readonly bad: (s: string) => string
}

const sgr = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`
const plainStyle: Style = { key: (s) => s, wire: (s) => s, value: (s) => s, dim: (s) => s, bad: (s) => s }
const colourStyle: Style = { key: sgr('1;36'), wire: sgr('33'), value: sgr('32'), dim: sgr('2'), bad: sgr('1;31') }

/** Colours only for a terminal, and only when NO_COLOR is unset or empty (https://no-color.org). */
export function styleFor(toTerminal: boolean, env: NodeJS.ProcessEnv = process.env): Style {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== ''
  return toTerminal && !noColor ? colourStyle : plainStyle
}

/** The bytes of a file, or of stdin for none or `-`; a file that cannot be read is a usage error. */
export async function readInput(file: string | undefined, command: string): Promise<Uint8Array> {
  if (file !== undefined && file !== '-') {
    try {
      const b = readFileSync(file)
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${reason(e)}`, command)
    }
  }
  if (process.stdin.isTTY === true) throw new UsageError('no input: give a file, or pipe the input to stdin', command)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const b = Buffer.concat(chunks)
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

export function reason(e: unknown): string {
  if (e !== null && typeof e === 'object' && 'code' in e && e.code === 'ENOENT') return 'no such file'
  if (e !== null && typeof e === 'object' && 'code' in e && e.code === 'EISDIR') return 'a directory'
  return e instanceof Error ? e.message : String(e)
}

/** Where a command writes: stdout, or the file of `-o`. */
export interface Output {
  /** Whether what is written goes to a terminal (never for a file). */
  readonly terminal: boolean
  write(data: string | Uint8Array): void
}

export function output(file: string | undefined, command: string): Output {
  if (file !== undefined && file !== '-') {
    return {
      terminal: false,
      write: (data) => {
        try {
          writeFileSync(file, data)
        } catch (e) {
          throw new UsageError(`cannot write ${file}: ${reason(e)}`, command)
        }
      },
    }
  }
  return { terminal: process.stdout.isTTY === true, write: (data) => void process.stdout.write(data) }
}

/** Inputs from this size on get a progress line, on a terminal. */
export const PROGRESS_FROM = 4 * 1024 * 1024

/** A progress line on stderr, for an input of `total` bytes: updated at most ten times a second, erased when done. */
export function progress(label: string, total: number, env: { readonly terminal: boolean } = { terminal: process.stderr.isTTY === true }): {
  tick: (done: number) => void
  done: () => void
} {
  if (!env.terminal || total < PROGRESS_FROM) return { tick: () => {}, done: () => {} }
  let last = 0
  let shown = false
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1)
  return {
    tick: (done) => {
      const now = Date.now()
      if (now - last < 100) return
      last = now
      shown = true
      process.stderr.write(`\r${label}: ${mb(done)} of ${mb(total)} MB (${Math.floor((100 * done) / total)}%)\x1b[K`)
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K')
    },
  }
}
