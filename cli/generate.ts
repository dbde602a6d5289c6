/**
 * `protoplate generate`: the modules protoc-gen-protoplate writes, from
 * .proto files read without protoc (through `loadProto`) or from a
 * descriptor set: one module a .proto, `foo/bar.proto` → `foo/bar_pb.ts`,
 * importing what it uses from the modules of the files it imports.
 *
 * @module
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { generateModules, type GenerateOptions, type Schema, type SchemaOptions } from '../schema/index.js'
import { reason, UsageError } from './io.js'

export interface Options {
  readonly generate: GenerateOptions & SchemaOptions
  /** Of the imports between generated modules: `.js`, `.ts` or none. */
  readonly extension: string
}

/** The options of the command line, checked, as the plugin's `--protoplate_opt` has them. */
export function optionsOf(v: Readonly<Record<string, unknown>>): Options {
  let generate: GenerateOptions & SchemaOptions = {}
  const int64 = v['int64'] as string | undefined
  if (int64 !== undefined) {
    if (int64 !== 'bigint' && int64 !== 'number') throw new UsageError(`--int64 is bigint or number, not ${JSON.stringify(int64)}`, 'generate')
    generate = { ...generate, int64 }
  }
  const maps = v['maps'] as string | undefined
  if (maps !== undefined) {
    if (maps !== 'map' && maps !== 'record') throw new UsageError(`--maps is map or record, not ${JSON.stringify(maps)}`, 'generate')
    generate = { ...generate, maps }
  }
  if (v['typed-arrays'] === true) generate = { ...generate, typedArrays: true }
  const from = v['from'] as string | undefined
  if (from !== undefined) {
    if (from === '') throw new UsageError('--from needs a module name', 'generate')
    generate = { ...generate, from }
  }
  const ext = (v['import-extension'] as string | undefined) ?? '.js'
  if (ext !== '.js' && ext !== '.ts' && ext !== 'none') throw new UsageError(`--import-extension is .js, .ts or none, not ${JSON.stringify(ext)}`, 'generate')
  return { generate, extension: ext === 'none' ? '' : ext }
}


/**
 * The name a file given on the command line has in the schema: protoc's,
 * its path inside the first include path that holds it.
 */
export function nameOf(path: string, includePaths: readonly string[]): string {
  if (!isFile(path)) return path
  const abs = resolve(path)
  const inside = includePaths.map((p) => relative(resolve(p), abs)).find((r) => r !== '' && !r.startsWith('..') && !isAbsolute(r))
  return inside === undefined ? path : inside.split(sep).join('/')
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** A module for each of `files` (names in the schema): its path and its source. */
export function modules(schema: Schema, files: readonly string[], options: Options): { name: string; content: string }[] {
  return generateModules(schema.plans, files, { ...options.generate, extension: options.extension })
}

/** Write the modules under `dir`, making the folders they need. */
export function writeModules(dir: string, made: readonly { name: string; content: string }[]): void {
  for (const m of made) {
    const path = join(dir, ...m.name.split('/'))
    try {
      if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, m.content)
    } catch (e) {
      throw new UsageError(`cannot write ${path}: ${reason(e)}`, 'generate')
    }
  }
}
