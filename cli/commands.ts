/**
 * The commands: their options, their help, and what each does with its
 * input and output. The work itself is in raw.ts, explain.ts,
 * generate.ts and convert.ts.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ParseArgsConfig } from 'node:util'
import { fromDescriptorSet, loadProto, type Schema, type SchemaOptions } from '../schema/index.js'
import { type ConvertOptions, decodeToText, encodeFromText, templateOf } from './convert.js'
import { modules, nameOf, optionsOf, writeModules } from './generate.js'
import { dump, explainRows } from './explain.js'
import { DataError, EXIT, output, progress, readInput, reason, styleFor, UsageError } from './io.js'
import { parse, render, TextError } from './raw.js'
import { scan, scanDelimited } from './scan.js'

export type Values = Readonly<Record<string, unknown>>

export interface Command {
  readonly name: string
  /** One line, for the list of commands. */
  readonly summary: string
  /** The command's help, after its name. */
  readonly help: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run(values: Values, positionals: readonly string[]): Promise<number>
}

export const USAGE = `protoplate: protobuf bytes, with a schema or without.

Usage: protoplate <command> [options] [file]

Commands:
  raw        bytes without a schema -> a text form that keeps every byte;
             raw --encode: that text -> the same bytes
  explain    an annotated hex dump (offset, bytes, field path, wire type, value),
             against a schema or without, with the first error marked
  generate   TypeScript templates from .proto files, without protoc

  decode     bytes of a message type of a schema -> ProtoJSON or the text format
  encode     ProtoJSON or the text format -> the bytes of the message

Input is the file given, or stdin; output goes to stdout, or to the file of -o.
Colours only on a terminal, and never with NO_COLOR set.
Exit codes: 0 done, 1 bad input data, 2 usage, 3 internal error (a bug).

protoplate <command> --help tells a command's options; docs/cli.md tells all.
`

export function helpOf(c: Command): string {
  return `protoplate ${c.name}: ${c.summary}\n\n${c.help}`
}

const single = (command: string, positionals: readonly string[]): string | undefined => {
  if (positionals.length > 1) throw new UsageError(`one input at most, got ${positionals.length}: ${positionals.join(' ')}`, command)
  return positionals[0]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

const raw: Command = {
  name: 'raw',
  summary: 'bytes without a schema as text that keeps every byte, and back',
  help: `Usage: protoplate raw [FILE] [--delimited] [-o OUT]
       protoplate raw --encode [FILE] [-o OUT]

Without --encode, reads protobuf bytes and writes one line a field: its
number, its wire type (varint, i64, i32, len, group) and its value. A
length-delimited payload is shown as "text", as <hex bytes>, or, when it
reads whole as a message, as { fields }, marked as a guess. Bytes from the
first that do not read as a field are a junk line, with the reason.

With --encode, reads that text and writes the bytes it stands for: the
bytes that gave the text, byte for byte (varints written in more bytes
than they need carry their size: 0~2, len~3, 1~2 for a tag).

Options:
  --delimited       the input is a stream of messages, each behind its
                    length (as writeDelimitedTo writes them): each is shown
                    as message { fields }
  --encode          text to bytes (the text says whether it is a stream)
  -o, --output OUT  write to OUT instead of stdout
  -h, --help        this help
`,
  options: { encode: { type: 'boolean' }, delimited: { type: 'boolean' }, output: { type: 'string', short: 'o' } },
  async run(v, positionals) {
    const file = single('raw', positionals)
    const input = await readInput(file, 'raw')
    const out = output(v['output'] as string | undefined, 'raw')
    if (v['encode'] === true) {
      if (out.terminal) throw new UsageError('not writing bytes to a terminal: give -o FILE, or pipe the output', 'raw')
      let text: string
      try {
        text = utf8.decode(input)
      } catch {
        throw new DataError(`${file ?? 'stdin'}: not UTF-8 text (raw --encode reads the text raw writes)`)
      }
      try {
        out.write(parse(text))
      } catch (e) {
        if (e instanceof TextError) throw new DataError(`${file ?? 'stdin'}: ${e.message}`)
        throw e
      }
      return EXIT.ok
    }
    const p = progress('protoplate raw', input.length)
    const items = v['delimited'] === true ? scanDelimited(input, p.tick) : scan(input, p.tick)
    p.done()
    out.write(render(input, items, styleFor(out.terminal)))
    return EXIT.ok
  },
}

const schemaOptions = {
  proto: { type: 'string', multiple: true },
  'proto-path': { type: 'string', short: 'I', multiple: true },
  'descriptor-set': { type: 'string' },
} as const

/** The schema of .proto files (with -I) or of --descriptor-set, if either is given. */
export function schemaOf(v: Values, protos: readonly string[], command: string, options: SchemaOptions = {}): Schema | undefined {
  const includes = (v['proto-path'] as string[] | undefined) ?? []
  const set = v['descriptor-set'] as string | undefined
  if (protos.length > 0 && set !== undefined) throw new UsageError(`give ${command === 'generate' ? '.proto files' : '--proto'} or --descriptor-set, not both`, command)
  if (set !== undefined) {
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(readFileSync(set))
    } catch (e) {
      throw new UsageError(`cannot read ${set}: ${reason(e)}`, command)
    }
    return fromDescriptorSet(bytes, options)
  }
  if (protos.length === 0) {
    if (includes.length > 0) throw new UsageError(`-I is for .proto files: give ${command === 'generate' ? 'them' : '--proto FILE'}`, command)
    return undefined
  }
  const paths = includes.length === 0 ? ['.'] : includes
  for (const p of protos) {
    // The well-known types' files are built in, as protoc has them.
    if (!existsSync(p) && !paths.some((dir) => existsSync(join(dir, p))) && !p.startsWith('google/protobuf/')) throw new UsageError(`cannot read ${p}: no such file`, command)
  }
  return loadProto(protos, { ...options, ...(includes.length === 0 ? {} : { includePaths: includes }) })
}

const explain: Command = {
  name: 'explain',
  summary: 'an annotated hex dump, with the first error marked where the bytes go wrong',
  help: `Usage: protoplate explain [FILE] --proto F.proto [-I DIR] --type T [--delimited] [-o OUT]
       protoplate explain [FILE] --descriptor-set SET --type T [--delimited] [-o OUT]
       protoplate explain [FILE] [--delimited] [-o OUT]

Writes a row for each item of the bytes: its offset, its bytes, the path of
its field (name(number), with [index] in lists), its wire type and its value.
With a schema, the bytes are read as the message type T; the first error
protoplate's decode meets is marked under its byte, with its kind, path and
offset (docs/errors.md), and the command exits 1. Without a schema, the
bytes are read as raw does, and the first place they stop being fields is
the error.

Options:
  --proto FILE        a .proto file of the schema (more than one may be given)
  -I, --proto-path DIR  where --proto files and their imports are found, as
                      protoc's -I (default: the current directory)
  --descriptor-set SET  the schema as a FileDescriptorSet (protoc
                      --descriptor_set_out --include_imports, or buf build)
  --type T            the full name of the message type (tutorial.Person)
  --delimited         the input is a stream of messages, each behind its length
  -o, --output OUT    write to OUT instead of stdout
  -h, --help          this help
`,
  options: { ...schemaOptions, type: { type: 'string' }, delimited: { type: 'boolean' }, output: { type: 'string', short: 'o' } },
  async run(v, positionals) {
    const file = single('explain', positionals)
    const schema = schemaOf(v, (v['proto'] as string[] | undefined) ?? [], 'explain')
    const type = v['type'] as string | undefined
    if (schema === undefined && type !== undefined) throw new UsageError('--type needs a schema: --proto or --descriptor-set', 'explain')
    if (schema !== undefined && type === undefined) throw new UsageError('a schema needs --type, the message type to read the bytes as', 'explain')
    let against: Parameters<typeof explainRows>[1]
    if (schema !== undefined) {
      const full = type!.replace(/^\./, '')
      if (!schema.plans.messages.has(full)) {
        try {
          schema.template(full)
        } catch (e) {
          throw new UsageError(e instanceof Error ? e.message : String(e), 'explain')
        }
      }
      against = { plans: schema.plans, type: full, template: schema.template(full) }
    }
    const input = await readInput(file, 'explain')
    const out = output(v['output'] as string | undefined, 'explain')
    const p = progress('protoplate explain', input.length)
    const { rows, error } = explainRows(input, against, v['delimited'] === true, p.tick)
    p.done()
    out.write(dump(input, rows, error, against === undefined ? '' : against.type, styleFor(out.terminal)))
    return error === undefined ? EXIT.ok : EXIT.data
  },
}

const generate: Command = {
  name: 'generate',
  summary: 'TypeScript templates from .proto files, without protoc',
  help: `Usage: protoplate generate FILE.proto... [-I DIR] [-o DIR] [options]
       protoplate generate --descriptor-set SET [NAME.proto...] [-o DIR] [options]

Writes one TypeScript module of templates for each .proto file given,
foo/bar.proto -> foo/bar_pb.ts, importing what it uses from the modules of
the files it imports: the modules protoc-gen-protoplate writes under protoc
(docs/codegen.md), read here by protoplate's own .proto parser. With one
file and no -o, the module goes to stdout.

Options:
  -I, --proto-path DIR    where the files and their imports are found, as
                          protoc's -I (default: the current directory)
  --descriptor-set SET    read a FileDescriptorSet instead; the names given
                          are the files to write (default: all of the set)
  -o, --output DIR        the folder to write the modules in
  --int64 bigint|number   64-bit integers as bigint (default) or number
  --maps map|record       map fields as Map (default) or as a plain object
  --typed-arrays          packed numeric fields as typed arrays
  --import-extension .js|.ts|none   of the imports between the modules (.js)
  --from MODULE           where the combinators come from (protoplate)
  -h, --help              this help
`,
  options: {
    'proto-path': { type: 'string', short: 'I', multiple: true },
    'descriptor-set': { type: 'string' },
    output: { type: 'string', short: 'o' },
    int64: { type: 'string' },
    maps: { type: 'string' },
    'typed-arrays': { type: 'boolean' },
    'import-extension': { type: 'string' },
    from: { type: 'string' },
  },
  async run(v, positionals) {
    const options = optionsOf(v)
    const set = v['descriptor-set'] !== undefined
    if (!set && positionals.length === 0) throw new UsageError('no .proto file given', 'generate')
    const schema = schemaOf(v, set ? [] : positionals, 'generate', options.generate)!
    const includes = (v['proto-path'] as string[] | undefined) ?? ['.']
    const files = set ? (positionals.length > 0 ? positionals : schema.plans.files) : positionals.map((p) => nameOf(p, includes))
    for (const f of files) if (!schema.plans.files.includes(f)) throw new UsageError(`no file ${f} in the descriptor set (it has ${schema.plans.files.join(', ')})`, 'generate')
    const made = modules(schema, files, options)
    const dir = v['output'] as string | undefined
    if (dir === undefined) {
      if (made.length > 1) throw new UsageError(`${made.length} modules to write: give -o DIR`, 'generate')
      output(undefined, 'generate').write(made[0]!.content)
    } else writeModules(dir, made)
    return EXIT.ok
  },
}

const convertOptions = {
  ...schemaOptions,
  type: { type: 'string' },
  json: { type: 'boolean' },
  text: { type: 'boolean' },
  delimited: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
} as const

/** The conversion the options ask for; JSON unless --text. */
function convertOf(v: Values, command: string): ConvertOptions {
  if (v['json'] === true && v['text'] === true) throw new UsageError('--json or --text, not both', command)
  const indent = v['indent'] === undefined ? undefined : Number(v['indent'])
  if (indent !== undefined && !(Number.isInteger(indent) && indent >= 0 && indent <= 10)) throw new UsageError(`--indent is a number of spaces from 0 to 10, not ${String(v['indent'])}`, command)
  return {
    format: v['text'] === true ? 'text' : 'json',
    delimited: v['delimited'] === true,
    emitDefaults: v['emit-defaults'] === true,
    enumAsNumber: v['enum-numbers'] === true,
    protoNames: v['proto-names'] === true,
    ignoreUnknownFields: v['ignore-unknown'] === true,
    unknownFields: v['unknown'] === true,
    indent,
  }
}

const SCHEMA_HELP = `  --proto FILE          a .proto file of the schema (more than one may be given)
  -I, --proto-path DIR  where --proto files and their imports are found, as
                        protoc's -I (default: the current directory)
  --descriptor-set SET  the schema as a FileDescriptorSet
  --type T              the full name of the message type (tutorial.Person)
  --json, --text        ProtoJSON (the default) or the text format
  --delimited           a stream of messages, each behind its length; as
                        JSON, one message a line (JSON Lines)
  -o, --output OUT      write to OUT instead of stdout
  -h, --help            this help
`

const decodeCommand: Command = {
  name: 'decode',
  summary: "bytes of a schema's message type as ProtoJSON or the text format",
  help: `Usage: protoplate decode [FILE] --proto F.proto [-I DIR] --type T [--json | --text] [options]
       protoplate decode [FILE] --descriptor-set SET --type T [--json | --text] [options]

Reads the bytes as the message type T and writes it as ProtoJSON
(docs/json.md) or, with --text, the text format protoc --decode prints
(docs/text-format.md). Bytes that are not the message are an error with
protoplate's kind, path and byte offset (exit 1); explain shows where.

Options:
${SCHEMA_HELP}  --emit-defaults       JSON: write fields at their zero, and empty lists
  --enum-numbers        JSON: enum values as numbers
  --proto-names         JSON: keys as the .proto names, not the JSON names
  --indent N            JSON: indent by N spaces
  --unknown             text: print unknown fields, by number
`,
  options: { ...convertOptions, 'emit-defaults': { type: 'boolean' }, 'enum-numbers': { type: 'boolean' }, 'proto-names': { type: 'boolean' }, indent: { type: 'string' }, unknown: { type: 'boolean' } },
  async run(v, positionals) {
    const file = single('decode', positionals)
    const schema = schemaOf(v, (v['proto'] as string[] | undefined) ?? [], 'decode')
    if (schema === undefined) throw new UsageError('decode needs a schema: --proto or --descriptor-set', 'decode')
    const template = templateOf(schema, v['type'] as string | undefined, 'decode')
    const o = convertOf(v, 'decode')
    const input = await readInput(file, 'decode')
    output(v['output'] as string | undefined, 'decode').write(decodeToText(template, input, o, file ?? 'stdin'))
    return EXIT.ok
  },
}

const encodeCommand: Command = {
  name: 'encode',
  summary: "ProtoJSON or the text format as the bytes of a schema's message type",
  help: `Usage: protoplate encode [FILE] --proto F.proto [-I DIR] --type T [--json | --text] [options]
       protoplate encode [FILE] --descriptor-set SET --type T [--json | --text] [options]

Reads ProtoJSON (or, with --text, the text format protoc --encode reads)
as the message type T and writes its bytes. Text that is not the message
is an error with its JSON path, or its line and column (exit 1).

Options:
${SCHEMA_HELP}  --ignore-unknown      JSON: skip keys the message has no field of
`,
  options: { ...convertOptions, 'ignore-unknown': { type: 'boolean' } },
  async run(v, positionals) {
    const file = single('encode', positionals)
    const schema = schemaOf(v, (v['proto'] as string[] | undefined) ?? [], 'encode')
    if (schema === undefined) throw new UsageError('encode needs a schema: --proto or --descriptor-set', 'encode')
    const template = templateOf(schema, v['type'] as string | undefined, 'encode')
    const o = convertOf(v, 'encode')
    const input = await readInput(file, 'encode')
    let text: string
    try {
      text = utf8.decode(input)
    } catch {
      throw new DataError(`${file ?? 'stdin'}: not UTF-8 text`)
    }
    const out = output(v['output'] as string | undefined, 'encode')
    if (out.terminal) throw new UsageError('not writing bytes to a terminal: give -o FILE, or pipe the output', 'encode')
    out.write(encodeFromText(template, text, o, file ?? 'stdin'))
    return EXIT.ok
  },
}

export const COMMANDS: Readonly<Record<string, Command>> = { raw, explain, generate, decode: decodeCommand, encode: encodeCommand }
